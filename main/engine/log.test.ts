import { describe, expect, it } from 'vitest';
import { createLogger, keepRecent, redact } from './log.js';

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

describe('recent lines', () => {
  it('keeps the newest lines, redacted, up to the bound, and still writes every line to the sink', () => {
    const sunk: string[] = [];
    const log = keepRecent(createLogger((l) => sunk.push(l)), 3);
    for (let i = 1; i <= 5; i++) log.log('info', `line ${i}`);
    log.log('warn', `receipt ${'b'.repeat(64)}`);
    expect(log.recent(10).map((l) => l.message)).toEqual(['line 4', 'line 5', 'receipt [hex]']);
    expect(log.recent(1)).toEqual([expect.objectContaining({ level: 'warn', message: 'receipt [hex]' })]);
    expect(sunk).toHaveLength(6);
  });
});
