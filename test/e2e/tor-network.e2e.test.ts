/**
 * The private Tor network, for real (issue 6 §Tor): requests through the client's SOCKS port reach a loopback server
 * via an exit, each fresh SOCKS username on its own circuit (seen in the client's STREAM events), and with the
 * client tor stopped a request fails and the server sees nothing (fail closed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  type PrivateTorNetwork, countingServer, freshIdentity, getThroughSocks, startPrivateTorNetwork, watchStreams,
} from '../../scripts/tor-network/index.js';

let net: PrivateTorNetwork;
const dir = mkdtempSync(join(tmpdir(), 'sipster-tor-e2e-'));

beforeAll(async () => {
  // Fails (never skips) without Debian's tor: findTor names what to install.
  net = await startPrivateTorNetwork({ dir });
});
afterAll(async () => {
  await net?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('private Tor network (3 authorities, 2 loopback-only exits, an isolating client)', () => {
  it('gives every fresh SOCKS username its own circuit, and the server gets every request', async () => {
    const server = await countingServer();
    onTestFinished(() => server.close());
    const streams = await watchStreams(net.controlPort, net.cookieFile);
    onTestFinished(() => streams.close());

    const ids = Array.from({ length: 4 }, freshIdentity);
    const order = [...ids, ids[0]!]; // the first identity again: same credentials, same circuit
    for (const id of order) {
      const res = await getThroughSocks(net.socksPort, server.url, id);
      expect(res).toEqual({ status: 200, body: 'ok' });
    }
    expect(server.hits()).toBe(order.length);

    const circuits = ids.map((id) => streams.circuits(id.username));
    for (const c of circuits) expect(c).toHaveLength(1); // repeated credentials reused their circuit
    expect(new Set(circuits.map((c) => c[0])).size).toBe(ids.length);
  });

  it('fails closed: with the client tor stopped the request fails and the server sees nothing', async () => {
    const server = await countingServer();
    onTestFinished(() => server.close());
    await net.stopClient();
    await expect(getThroughSocks(net.socksPort, server.url, freshIdentity(), 5_000)).rejects.toThrow();
    expect(server.hits()).toBe(0);
  });
});
