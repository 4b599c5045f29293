import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpResponseError, MintOperationError, NetworkError } from '@cashu/cashu-ts';
import { afterEach, describe, expect, it } from 'vitest';
import { mintRequest } from './mint-request.js';

interface Seen { method: string; url: string; contentType: string | undefined; body: string }

/** A loopback HTTP server answering each request with `status` and `body` (or never, for null), and what it saw. */
async function mintAnswering(status: number, body: string | null): Promise<{ base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer(async (req: IncomingMessage, res) => {
    let text = '';
    for await (const c of req) text += c;
    seen.push({ method: req.method!, url: req.url!, contentType: req.headers['content-type'], body: text });
    if (body !== null) res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}
let server: Server | undefined;
async function closeMint(): Promise<void> {
  const s = server;
  server = undefined;
  s?.closeAllConnections();
  if (s) await new Promise((r) => s.close(r));
}
afterEach(closeMint);

const request = mintRequest(1_000);
const swap = (base: string) => ({ endpoint: `${base}/v1/swap`, method: 'POST', requestBody: { inputs: [], outputs: [] } });

describe('mintRequest (the UC wallet’s transport to its mint)', () => {
  it('posts JSON and drops the DLEQ proofs of swap signatures only', async () => {
    const sig = { id: '00ab', amount: 4, C_: '02cc', dleq: { e: '01', s: '02' } };
    const { base, seen } = await mintAnswering(200, JSON.stringify({ signatures: [sig] }));
    expect(await request(swap(base))).toEqual({ signatures: [{ id: '00ab', amount: 4, C_: '02cc' }] });
    expect(seen[0]).toEqual({ method: 'POST', url: '/v1/swap', contentType: 'application/json', body: '{"inputs":[],"outputs":[]}' });
    expect(await request({ endpoint: `${base}/v1/mint/bolt11`, method: 'POST' })).toEqual({ signatures: [sig] });
    expect(await request({ endpoint: `${base}/v1/keys` })).toEqual({ signatures: [sig] });
    expect(seen.slice(1).map((s) => [s.method, s.url, s.body])).toEqual([['POST', '/v1/mint/bolt11', ''], ['GET', '/v1/keys', '']]);
  });

  it('turns a NUT-00 error into MintOperationError, other failures into HttpResponseError', async () => {
    const spent = await mintAnswering(400, JSON.stringify({ code: 11001, detail: 'Token already spent.' }));
    await expect(request(swap(spent.base))).rejects.toEqual(expect.objectContaining({ constructor: MintOperationError, code: 11001 }));
    await closeMint();
    const gateway = await mintAnswering(502, '<html>bad gateway</html>');
    await expect(request(swap(gateway.base))).rejects.toBeInstanceOf(HttpResponseError);
    await closeMint();
    const boom = await mintAnswering(500, JSON.stringify({ error: 'boom' }));
    await expect(request(swap(boom.base))).rejects.toMatchObject({ status: 500 });
  });

  it('gives up on a mint that does not answer, or is not there: NetworkError', async () => {
    const silent = await mintAnswering(200, null);
    await expect(mintRequest(50)(swap(silent.base))).rejects.toBeInstanceOf(NetworkError);
    expect(silent.seen).toHaveLength(1);
    await closeMint();
    await expect(request(swap(silent.base))).rejects.toBeInstanceOf(NetworkError);
  });
});
