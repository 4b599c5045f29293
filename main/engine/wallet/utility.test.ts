import { describe, expect, it } from 'vitest';
import { openWalletDb, pinUtility, pinnedUtility } from './index.js';

describe('UC parameters pinned at first contact', () => {
  it('pins once, accepts the same key again, refuses a changed key loudly', () => {
    const db = openWalletDb(':memory:');
    const p = { url: 'http://uc', A1: new Uint8Array(48).fill(1), A2: new Uint8Array(96).fill(2), params: '{}' };
    expect(pinnedUtility(db)).toBeNull();
    const first = pinUtility(db, p);
    expect(pinUtility(db, { ...p, params: '{"x":1}' }).pinnedAt).toBe(first.pinnedAt);
    expect(() => pinUtility(db, { ...p, A2: new Uint8Array(96).fill(3) })).toThrow(expect.objectContaining({ code: 'uc-key-changed' }));
    expect(pinnedUtility(db)!.A2).toEqual(p.A2);
    db.close();
  });
});
