/**
 * Network meters on loopback (issue 13): a real TCP server replays the DSMR corpus to the bridge, which gives every
 * item the verdict `p1 decode` gives; a connection cut mid-telegram drops that telegram as truncated, and the link
 * reopens, also after the server stopped listening for a while; a silent connection is reopened by the watchdog.
 * A real HTTP server answers as HomeWizard's P1 meter documents: 503 without a telegram, 200 with one (read once
 * however often it is asked), 404 from a device that is not one.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { corpusStream, dsmrBytes, dsmrIndex, isCrcLess, splitAtSentinels, type DecodedJson } from '../test/support/dsmr-testdata.js';
import { expectVerdict } from '../test/support/dsmr-verdicts.js';
import { waitFor } from '../test/support/link-walk.js';
import { homeWizardMeter, send, tcpMeter } from '../test/support/net-meter.js';
import { encodeTelegram } from '../protocol/index.js';
import { LinkError, networkAddress, openNetworkLink, parseNetworkSource, telegramResultToJson } from './index.js';

const fast = { backoff: { initial: 50, max: 200 } };
const telegram = (name: string) => encodeTelegram(name, ['1-3:0.2.8(50)', '1-0:1.8.1(000123.456*kWh)']);

describe('network meter addresses', () => {
  it('reads tcp:// and homewizard:// (and HomeWizard’s own URL), and refuses anything else with a clear error', () => {
    expect(parseNetworkSource('tcp://192.168.1.20:2001')).toEqual({ kind: 'tcp', host: '192.168.1.20', port: 2001 });
    expect(parseNetworkSource('tcp://[fe80::1]:23')).toEqual({ kind: 'tcp', host: 'fe80::1', port: 23 });
    expect(parseNetworkSource('homewizard://p1meter.local')).toEqual({ kind: 'homewizard', host: 'p1meter.local', port: 80 });
    expect(parseNetworkSource('http://10.0.0.7/api/v1/telegram')).toEqual({ kind: 'homewizard', host: '10.0.0.7', port: 80 });
    expect(networkAddress(parseNetworkSource('http://10.0.0.7:8080/api/v1/telegram'))).toBe('homewizard://10.0.0.7:8080');
    expect(networkAddress(parseNetworkSource('tcp://[fe80::1]:23/'))).toBe('tcp://[fe80::1]:23');
    for (const bad of ['tcp://host', 'tcp://host:99999', 'tcp://u:p@host:23', 'tcp://host:23/x', 'http://host/', 'https://host/api/v1/telegram', 'ftp://host:21', '/dev/ttyUSB0', 'homewizard://host/api?x=1'])
      expect(() => parseNetworkSource(bad), bad).toThrow(expect.objectContaining({ code: 'bad-address' }) as LinkError);
  });
});

describe('P1 over TCP', () => {
  it('gives every DSMR 4+ item of the corpus its verdict, drops a cut telegram, and reconnects after a close and a restart', async () => {
    const server = await tcpMeter();
    onTestFinished(() => server.stop());
    const entries = dsmrIndex().filter((e) => !isCrcLess(e));
    const results: DecodedJson[] = [];
    const statuses: string[] = [];
    const link = openNetworkLink({
      ...fast, source: { kind: 'tcp', host: '127.0.0.1', port: server.port },
      onTelegram: (r) => results.push(JSON.parse(JSON.stringify(telegramResultToJson(r))) as DecodedJson),
      onStatus: (s) => statuses.push(s.connected ? `up ${s.path}` : `down: ${s.reason}`),
    });
    onTestFinished(() => link.close());

    const first = await server.nextConnection();
    await send(first, corpusStream(entries));
    await waitFor(() => splitAtSentinels(results).length === entries.length, 20_000, 'every corpus item over TCP');
    splitAtSentinels(results).forEach((group, k) => expectVerdict(entries[k]!, group));
    expect(link.connected).toBe(true);

    // Cut mid-telegram: the half is dropped as truncated, never glued to what the next connection sends.
    const whole = telegram('CUT5 meter');
    const truncatedBefore = link.counters.dropped.truncated;
    await send(first, whole.subarray(0, 40));
    first.destroy();
    const second = await server.nextConnection();
    await waitFor(() => link.counters.reconnects === 1 && link.connected, 5_000, 'the link to reconnect');
    expect(link.counters.dropped.truncated).toBe(truncatedBefore + 1);
    const okBefore = link.counters.telegramsOk;
    await send(second, whole);
    await waitFor(() => link.counters.telegramsOk === okBefore + 1, 5_000, 'the telegram on the new connection');

    // The dongle goes away (nothing listens: refused) and comes back on the same port.
    await server.stop();
    await waitFor(() => !link.connected && statuses.at(-1) === 'down: connection refused', 5_000, 'the link to see the refusal');
    await server.start();
    const third = await server.nextConnection();
    await waitFor(() => link.counters.reconnects === 2 && link.connected, 5_000, 'the link to reconnect after the restart');
    await send(third, telegram('BACK5 meter'));
    await waitFor(() => results.at(-1)?.readings?.header === 'BACK5 meter', 5_000, 'a telegram after the restart');
    expect(statuses[0]).toBe(`up tcp://127.0.0.1:${server.port}`);
    expect(statuses.filter((s) => s.startsWith('up'))).toHaveLength(3);
  });

  it('reads DSMR 2.2/3.0 telegrams (no CRC) on a dsmr22 source, refuses them on a dsmr4 one', async () => {
    const server = await tcpMeter();
    onTestFinished(() => server.stop());
    const entries = dsmrIndex().filter(isCrcLess);
    const run = async (line: 'dsmr4' | 'dsmr22') => {
      const results: DecodedJson[] = [];
      const link = openNetworkLink({ ...fast, line, source: { kind: 'tcp', host: '127.0.0.1', port: server.port },
        onTelegram: (r) => results.push(JSON.parse(JSON.stringify(telegramResultToJson(r))) as DecodedJson) });
      onTestFinished(() => link.close());
      await send(await server.nextConnection(), corpusStream(entries));
      await waitFor(() => splitAtSentinels(results).length === entries.length, 10_000, `every DSMR 2.2/3.0 item on ${line}`);
      await link.close();
      return splitAtSentinels(results);
    };
    (await run('dsmr22')).forEach((group, k) => expectVerdict(entries[k]!, group));
    const strict = await run('dsmr4');
    entries.forEach((e, k) => !e.file.includes('/streams/') && expect(strict[k]!.map((r) => r.error)).toEqual(['missing-crc']));
  });

  it('reopens a connection that stays silent longer than the watchdog allows', async () => {
    const server = await tcpMeter();
    onTestFinished(() => server.stop());
    const reasons: string[] = [];
    const link = openNetworkLink({ ...fast, silenceMs: 300, source: { kind: 'tcp', host: '127.0.0.1', port: server.port },
      onStatus: (s) => !s.connected && reasons.push(s.reason!) });
    onTestFinished(() => link.close());
    await server.nextConnection(); // accepted, then never written to (a dongle that lost its meter)
    await server.nextConnection();
    await waitFor(() => link.counters.reconnects >= 1, 5_000, 'the watchdog to reconnect');
    expect(reasons[0]).toBe('no data from the meter');
  });
});

describe('HomeWizard P1 meter', () => {
  it('polls the telegram API: 503 is waiting, each new telegram is read once, 404 is down with a reason', async () => {
    const hw = await homeWizardMeter();
    onTestFinished(() => hw.close());
    const statuses: string[] = [];
    const headers: string[] = [];
    const link = openNetworkLink({
      ...fast, pollMs: 50, source: parseNetworkSource(hw.address),
      onTelegram: (r) => r.ok && headers.push(r.readings.header),
      onStatus: (s) => statuses.push(s.connected ? `up ${s.path}` : `down: ${s.reason}`),
    });
    onTestFinished(() => link.close());
    await waitFor(() => hw.requests.length >= 2, 5_000, 'two polls');
    expect(hw.requests.every((p) => p === '/api/v1/telegram')).toBe(true);
    expect(link.connected).toBe(true); // the device answers; its meter has sent nothing yet
    expect(headers).toEqual([]);

    // A real meter's telegram as HomeWizard serves it: the raw text, asked for many times, read once.
    hw.answer = { telegram: dsmrBytes('dsmr/telegrams/dp_nl-v5.0-iskra-am550-two-mbus.txt') };
    await waitFor(() => headers.length === 1, 5_000, 'the telegram');
    const polls = hw.requests.length;
    await waitFor(() => hw.requests.length >= polls + 5, 5_000, 'five more polls');
    expect(headers).toHaveLength(1);
    hw.answer = { telegram: telegram('NEXT5 meter') };
    await waitFor(() => headers.length === 2, 5_000, 'the next telegram');
    expect(headers[1]).toBe('NEXT5 meter');
    expect(link.counters.telegramsOk).toBe(2);

    hw.answer = { status: 404 };
    await waitFor(() => !link.connected, 5_000, 'the link to go down');
    expect(statuses.at(-1)).toMatch(/^down: no telegram API there/);
    hw.answer = { telegram: telegram('AGAIN5 meter') };
    await waitFor(() => link.connected && headers.at(-1) === 'AGAIN5 meter', 5_000, 'the link back');
    expect(statuses.filter((s) => s.startsWith('up'))).toEqual([`up ${hw.address}`, `up ${hw.address}`]);
    expect(link.counters.reconnects).toBe(1);
  });

  it('reports a device that stops answering, and one that answers the same telegram past the watchdog', async () => {
    const hw = await homeWizardMeter();
    hw.answer = { telegram: telegram('STALE5 meter') };
    const statuses: string[] = [];
    const link = openNetworkLink({ ...fast, pollMs: 50, silenceMs: 400, source: parseNetworkSource(hw.address),
      onStatus: (s) => statuses.push(s.connected ? 'up' : `down: ${s.reason}`) });
    onTestFinished(() => link.close());
    await waitFor(() => statuses.includes('down: no new telegram from the meter'), 5_000, 'the watchdog');
    hw.answer = { telegram: telegram('FRESH5 meter') };
    await waitFor(() => statuses.length === 3, 5_000, 'the link back with a new telegram');
    await hw.close(); // the device is gone: nothing listens on its port
    await waitFor(() => statuses.length === 4, 5_000, 'the link to go down');
    expect(statuses).toEqual(['up', 'down: no new telegram from the meter', 'up', 'down: the HomeWizard P1 meter does not answer']);
  });
});
