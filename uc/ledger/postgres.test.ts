import { describe, expect, it } from 'vitest';
import { isUnavailable } from './postgres.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isUnavailable', () => {
  it('names a server that went away or is not the primary', () => {
    for (const code of ['57P01', '57P03', '08006', '08001', '25006', 'ECONNREFUSED', 'ECONNRESET'])
      expect(isUnavailable(withCode(code)), code).toBe(true);
    expect(isUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
  });
  it('leaves errors of the statement itself alone', () => {
    for (const code of ['23505', '42P01', '40001', '57014'])
      expect(isUnavailable(withCode(code, 'Connection terminated')), code).toBe(false);
    expect(isUnavailable('Connection terminated')).toBe(false);
  });
});
