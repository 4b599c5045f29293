import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { bytesToHex, newMeterState, p256PublicKey, tokenGen, type MeterState } from '../../protocol/index.js';
import { createMint } from '../../mint/index.js';
import { startUc, writeReceiptKeyFile } from '../../uc/index.js';
import { registerMeter } from '../../scripts/demo-stack.js';
import { p256SecretKey } from '../../scripts/uc-fixture.js';
import { testUnlock } from '../../scripts/test-wallet-key.js';
import { startRecorder } from '../../test/support/recorder.js';
import { createEngine, startSocksHop } from './index.js';

describe("coins given back after 'already-paid' are reclaimed one payment at a time", () => {
  it('three coins the utility did not take: three checks and three swaps at the real mint, each with one coin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipster-reclaim-'));
    const mint = await createMint({ dbPath: join(dir, 'mint.sqlite') });
    const front = await startRecorder(await mint.listen(0, '127.0.0.1')); // the mint as everyone reaches it, recorded
    const adminToken = randomBytes(16).toString('hex');
    const uc = await startUc({ ledger: { sqlite: join(dir, 'uc.sqlite') }, receiptKey: writeReceiptKeyFile(join(dir, 'uc.key')), mint: { url: front.url, unit: mint.unit },
      adminToken, port: 0, adminPort: 0 });
    const hop = await startSocksHop();
    onTestFinished(async () => { await hop.close(); await uc.close(); await front.close(); await mint.close(); rmSync(dir, { recursive: true, force: true }); });
    const setKey = p256SecretKey();
    await registerMeter(uc.adminUrl, adminToken, { meter: 'M-RECLAIM', set: 1, setPublicKey: bytesToHex(p256PublicKey(setKey)), billPublicKey: bytesToHex(p256PublicKey(p256SecretKey())) }, [1]);
    let meter: MeterState = newMeterState('M-RECLAIM', 1, 1, new Uint8Array(randomBytes(32)));
    const tokens = Array.from({ length: 3 }, () => { const g = tokenGen(meter, setKey); meter = g.state; return g.token; });
    const open = (home: string) => createEngine({ unlock: testUnlock, dataDir: join(dir, home), ucUrl: uc.url, socks: { ...hop, label: 'demo-hop' }, payDelayMs: () => 0, tickMs: 3_600_000 });

    // One wallet pays the three tokens; a second wallet (rebuilt from nothing) pays them again and gets 'already-paid'.
    const before = await open('home-before');
    await before.runOnce();
    await before.topUp(3);
    for (const token of tokens) before.ingest({ kind: 'token', token });
    await before.runOnce();
    expect((await before.getPeriod(1)).paid).toBe(3);
    await before.close();

    const again = await open('home-again');
    onTestFinished(() => again.close());
    await again.runOnce();
    await again.topUp(3);
    for (const token of tokens) again.ingest({ kind: 'token', token });
    const mark = front.exchanges.length;
    await again.runOnce(); // pays (the utility answers 'already-paid' and takes no coin), then reclaims the coins
    expect(await again.getPeriod(1)).toMatchObject({ tokens: 3, paid: 3 });
    expect(await again.getWallet()).toMatchObject({ balance: 3, stock: 3, reserved: 0 });

    const atMint = front.exchanges.slice(mark);
    const swaps = atMint.filter((x) => x.url === '/v1/swap').map((x) => JSON.parse(x.body) as { inputs: unknown[]; outputs: unknown[] });
    const checks = atMint.filter((x) => x.url === '/v1/checkstate').map((x) => JSON.parse(x.body) as { Ys: unknown[] });
    expect(swaps.map((s) => [s.inputs.length, s.outputs.length])).toEqual([[1, 1], [1, 1], [1, 1]]);
    expect(checks.map((c) => c.Ys.length)).toEqual([1, 1, 1]);
    expect(new Set(atMint.map((x) => x.connection)).size).toBe(atMint.length); // each on its own connection (its own circuit)
  });
});
