// Crash safety (issue 6): `npm run chaos` for real, 20 runs. The mint and the UC as processes, a socat pty with the
// meter emulator on an accelerated clock, the SOCKS hop, the engine as a child process SIGKILLed in top-ups, payments
// and settlements and restarted. The figures of the full campaign: docs/reliability.md, bench/chaos.json.
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runChaos } from '../../scripts/chaos/index.js';
import { requireSocat } from '../support/pty.js';

describe('npm run chaos', () => {
  it('20 kills later: every period settled, no unit lost, no token paid twice, no double spend at the mint', async () => {
    requireSocat(); // fails with what to install, never skips
    const dir = mkdtempSync(join(tmpdir(), 'sipster-chaos-e2e-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const r = await runChaos({ runs: 20, seed: 20261125, dir, periodSeconds: 10 });

    expect(r.failures).toEqual([]);
    // The kills really happened, in every phase.
    for (const phase of ['top-up', 'payment', 'settlement'] as const) expect(r.kills[phase]).toBeGreaterThan(0);
    expect(r.kills['top-up'] + r.kills.payment + r.kills.settlement + r.missed).toBe(20);
    expect(r.recoverMs.n).toBeGreaterThan(0);
    // (a) every period the meter closed is settled at the UC with paid = tokens.
    expect(r.periods.closed).toBeGreaterThan(2);
    expect(r.periods.settled).toBe(r.periods.closed);
    expect(r.tokens.ucPaid).toBe(r.tokens.billed);
    // (b) coins: what the mint issued is held by the wallet (unspent at the mint) or by the UC.
    expect(r.coins.lost).toBe(0);
    expect(r.coins.walletUnspentButSpent).toBe(0);
    expect(r.coins.walletHeld + r.coins.ucReceived).toBe(r.coins.issued);
    // (c), (d)
    expect(r.doublePaid).toBe(0);
    expect(r.doubleSpendErrors).toEqual({ spent: 0, pending: 0, outputsSigned: 0 });
    expect(r.ok).toBe(true);
  });
});
