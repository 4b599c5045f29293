import { describe, expect, it } from 'vitest';
import { createLogger, redact } from './log.js';

describe('redacting logger', () => {
  it('strips points, scalars, coins and seed phrases, keeps the words around them', () => {
    const point = 'a'.repeat(96);
    expect(redact(`receipt ${point} refused`)).toBe('receipt [hex] refused');
    expect(redact('coin cashuBo2FteBtodHRwOi8vMTI3LjAuMC4xOjMzMzhhdWNzYXRhdIGiYWlI gone')).toBe('coin [coin] gone');
    const phrase = 'abandon ability able about above absent absorb abstract absurd abuse access accident';
    expect(redact(`phrase: ${phrase}.`)).toBe('phrase: [words].');
    const lines: string[] = [];
    createLogger((l) => lines.push(l)).log('warn', `uc-unreachable for ${point}`);
    expect(lines[0]).toMatch(/warn uc-unreachable for \[hex\]$/);
  });
});
