import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startSocksHop } from '../socks-hop/index.js';
import { routeRequest } from './index.js';

async function echoServer() {
  const seen: { headers: Record<string, unknown>; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c)).on('end', () => {
      seen.push({ headers: { ...req.headers }, body });
      res.setHeader('set-cookie', 'track=1').end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onTestFinished(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('the SOCKS route', () => {
  it('sends the same minimal headers every time, no cookies, one connection per request', async () => {
    const uc = await echoServer();
    const hop = await startSocksHop();
    onTestFinished(() => hop.close());
    for (let i = 0; i < 3; i++)
      expect(await routeRequest(hop, { method: 'POST', url: `${uc.url}/v1/pay`, body: { n: 1000 + i }, unreachable: 'uc-unreachable' })).toEqual({ status: 200, body: { ok: true } });
    expect(uc.seen.map((s) => Object.keys(s.headers).sort())).toEqual(Array(3).fill(['accept', 'connection', 'content-length', 'content-type', 'host']));
    expect(uc.seen.every((s) => s.headers.connection === 'close' && s.headers.cookie === undefined)).toBe(true);
    expect(hop.log).toHaveLength(3);
    expect(new Set(hop.log.map((c) => c.username)).size).toBe(3);
  });

  it('tells a dead proxy (proxy-refused) from a dead destination behind a working proxy (uc-unreachable)', async () => {
    const hop = await startSocksHop();
    onTestFinished(() => hop.close());
    const closed = await startSocksHop(); // a port that is surely free after this closes
    const deadPort = closed.port;
    await closed.close();
    await expect(routeRequest(hop, { method: 'GET', url: `http://127.0.0.1:${deadPort}/v1/params`, unreachable: 'uc-unreachable' }))
      .rejects.toMatchObject({ code: 'uc-unreachable' });
    await expect(routeRequest({ host: '127.0.0.1', port: deadPort }, { method: 'GET', url: 'http://127.0.0.1:1/v1/params', unreachable: 'uc-unreachable' }))
      .rejects.toMatchObject({ code: 'proxy-refused' });
    await expect(routeRequest(null, { method: 'GET', url: 'http://127.0.0.1:1/', unreachable: 'mint-unreachable' }))
      .rejects.toMatchObject({ code: 'proxy-refused' });
  });

  it('the demo hop refuses destinations off loopback and logs them', async () => {
    const hop = await startSocksHop();
    onTestFinished(() => hop.close());
    await expect(routeRequest(hop, { method: 'GET', url: 'http://192.0.2.1/', unreachable: 'uc-unreachable' })).rejects.toMatchObject({ code: 'uc-unreachable' });
    expect(hop.log).toEqual([expect.objectContaining({ host: '192.0.2.1', port: 80, ok: false })]);
  });
});
