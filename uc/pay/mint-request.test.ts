import { HttpResponseError, MintOperationError, NetworkError } from '@cashu/cashu-ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mintRequest } from './mint-request.js';

/** Stubs fetch with one canned answer (no network in unit tests). */
function answer(status: number, body: string) {
  const fetch = vi.fn(async (_url: string, _init: RequestInit) => new Response(body, { status }));
  vi.stubGlobal('fetch', fetch);
  return fetch;
}
afterEach(() => void vi.unstubAllGlobals());

const request = mintRequest(1_000);
const swap = { endpoint: 'http://mint.test/v1/swap', method: 'POST', requestBody: { inputs: [], outputs: [] } };

describe('mintRequest (the UC wallet’s transport to its mint)', () => {
  it('posts JSON and drops the DLEQ proofs of swap signatures only', async () => {
    const sig = { id: '00ab', amount: 4, C_: '02cc', dleq: { e: '01', s: '02' } };
    const fetch = answer(200, JSON.stringify({ signatures: [sig] }));
    expect(await request(swap)).toEqual({ signatures: [{ id: '00ab', amount: 4, C_: '02cc' }] });
    const init = fetch.mock.calls[0]![1];
    expect([init.method, (init.headers as Record<string, string>)['content-type'], init.body]).toEqual(['POST', 'application/json', '{"inputs":[],"outputs":[]}']);
    answer(200, JSON.stringify({ signatures: [sig] }));
    expect(await request({ endpoint: 'http://mint.test/v1/mint/bolt11', method: 'POST' })).toEqual({ signatures: [sig] });
  });

  it('turns a NUT-00 error into MintOperationError, other failures into HttpResponseError', async () => {
    answer(400, JSON.stringify({ code: 11001, detail: 'Token already spent.' }));
    await expect(request(swap)).rejects.toEqual(expect.objectContaining({ constructor: MintOperationError, code: 11001 }));
    answer(502, '<html>bad gateway</html>');
    await expect(request(swap)).rejects.toBeInstanceOf(HttpResponseError);
    answer(500, JSON.stringify({ error: 'boom' }));
    await expect(request(swap)).rejects.toMatchObject({ status: 500 });
  });

  it('gives up on a mint that does not answer: NetworkError', async () => {
    vi.stubGlobal('fetch', vi.fn((_url: string, init: RequestInit) => new Promise((_resolve, reject) => {
      init.signal!.addEventListener('abort', () => reject(init.signal!.reason));
    })));
    await expect(mintRequest(20)(swap)).rejects.toBeInstanceOf(NetworkError);
  });
});
