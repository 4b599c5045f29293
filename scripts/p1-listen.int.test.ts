/**
 * `npm run -s p1 -- listen tcp://HOST:PORT` as a person runs it against a ser2net-like server on loopback: one JSON
 * object per telegram, the same verdicts as for a serial port, the link's state on stderr and its counters at the
 * end; an address that is not a meter's is refused with the forms it takes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it, onTestFinished } from 'vitest';
import { corpusStream, dsmrIndex, isCrcLess, splitAtSentinels, type DecodedJson } from '../test/support/dsmr-testdata.js';
import { expectVerdict } from '../test/support/dsmr-verdicts.js';
import { waitFor } from '../test/support/link-walk.js';
import { send, tcpMeter } from '../test/support/net-meter.js';

describe('p1 listen over the network', () => {
  it('prints every telegram a TCP meter sends, with the verdicts of a serial port', async () => {
    const server = await tcpMeter();
    onTestFinished(() => server.stop());
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/p1.ts', 'listen', `tcp://127.0.0.1:${server.port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    onTestFinished(() => void (child.exitCode === null && child.kill('SIGKILL')));
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const entries = dsmrIndex().filter((e) => !isCrcLess(e));
    const lines = () => out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as DecodedJson);
    await send(await server.nextConnection(), corpusStream(entries));
    await waitFor(() => splitAtSentinels(lines()).length === entries.length, 30_000, 'every corpus item printed');
    splitAtSentinels(lines()).forEach((group, k) => expectVerdict(entries[k]!, group));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(err).toContain(`p1: reading tcp://127.0.0.1:${server.port}`);
    expect(err).toMatch(/p1: \{"telegramsOk":\d+/);
  });

  it('refuses an address that is not a meter’s', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/p1.ts', 'listen', 'ftp://127.0.0.1:21'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/tcp:\/\/HOST:PORT .* homewizard:\/\/HOST\[:PORT\]/);
  });
});
