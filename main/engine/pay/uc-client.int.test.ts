import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { receiptKeyFromSecret } from '../../../protocol/index.js';
import { startSocksHop } from '../socks-hop/index.js';
import { getParams } from './index.js';

const key = receiptKeyFromSecret(42n);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** A real HTTP server answering /v1/params with `mintUrl` as the utility's mint. */
async function paramsServer(mintUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
      receiptKey: { A1: hex(key.A1), A2: hex(key.A2) }, sets: [], mint: { url: mintUrl, unit: 'sat' }, openPeriods: [],
    }));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((ok) => server.close(() => ok())) };
}

describe('/v1/params: the mint the utility announces', () => {
  it('takes an https, .onion or loopback mint', async () => {
    const hop = await startSocksHop();
    onTestFinished(() => hop.close());
    for (const mintUrl of ['https://mint.example', 'http://abcdefghij234567.onion', 'http://127.0.0.1:3338']) {
      const uc = await paramsServer(mintUrl);
      try {
        expect((await getParams({ host: '127.0.0.1', port: hop.port }, uc.url)).mint).toEqual({ url: mintUrl, unit: 'sat' });
      } finally { await uc.close(); }
    }
  });

  it('refuses a plain http:// mint off loopback, or no URL at all, with a clear uc-error', async () => {
    const hop = await startSocksHop();
    onTestFinished(() => hop.close());
    for (const [mintUrl, why] of [['http://mint.example/t/4f2a', /mint address http:\/\/mint\.example is plain http:\/\/.*\.onion/], ['mint', /not a URL/]] as const) {
      const uc = await paramsServer(mintUrl);
      try {
        await expect(getParams({ host: '127.0.0.1', port: hop.port }, uc.url)).rejects.toMatchObject({ code: 'uc-error', message: expect.stringMatching(why) });
      } finally { await uc.close(); }
    }
  });
});
