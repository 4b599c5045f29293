// NUT-17 over a real WebSocket: cashu-ts's subscription for a delayed quote, proof states, manual payment.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashToCurve, injectWebSocketImpl, Wallet } from '@cashu/cashu-ts';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { createMint, type MintOptions } from './index.js';
import { blanks, fetchCall, mintProofs } from './test-wallet.js';

injectWebSocketImpl(WebSocket as unknown as typeof globalThis.WebSocket);

async function startMint(options: Omit<MintOptions, 'dbPath'>) {
  const dir = mkdtempSync(join(tmpdir(), 'mint-ws-'));
  const mint = await createMint({ dbPath: join(dir, 'mint.sqlite'), ...options });
  const url = await mint.listen(0);
  onTestFinished(async () => {
    await mint.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { mint, url };
}

/** A raw NUT-17 client that collects every message. */
async function rawClient(url: string) {
  const ws = new WebSocket(url.replace('http', 'ws') + '/v1/ws');
  onTestFinished(() => ws.close());
  const messages: any[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (d) => {
    messages.push(JSON.parse(d.toString()));
    waiters.splice(0).forEach((w) => w());
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const until = async (n: number) => {
    while (messages.length < n) await new Promise<void>((r) => waiters.push(r));
    return messages;
  };
  return { ws, messages, until };
}

describe('NUT-17 subscriptions at /v1/ws', () => {
  it('cashu-ts is told when a delayed mint quote gets paid, then mints', async () => {
    const { url } = await startMint({ fakePayDelayMs: 150 });
    const wallet = new Wallet(url, { unit: 'sat' });
    await wallet.loadMint();
    const quote = await wallet.createMintQuoteBolt11(16);
    expect(quote.state).toBe('UNPAID');
    const paid = await new Promise<{ state: string }>((resolve, reject) => {
      void wallet.on.mintQuotePaid(quote.quote, resolve, reject);
    });
    expect(paid.state).toBe('PAID');
    const proofs = await wallet.mintProofsBolt11(16, quote.quote);
    expect(proofs.reduce((s, p) => s + p.amount.toNumber(), 0)).toBe(16);
    wallet.mint.disconnectWebSocket();
  });

  it('manual mode: the quote stays unpaid (20001) until the admin call with the admin token pays it', async () => {
    const { url } = await startMint({ fakePay: 'manual', adminToken: 'a'.repeat(64) });
    const call = fetchCall(url);
    const { body: keys } = await call('GET', '/v1/keys');
    const { body: quote } = await call('POST', '/v1/mint/quote/bolt11', { amount: 4, unit: 'sat' });
    const client = await rawClient(url);
    client.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'subscribe',
      params: { kind: 'bolt11_mint_quote', subId: 's1', filters: [quote.quote] } }));
    const [ok, first] = await client.until(2);
    expect(ok).toEqual({ jsonrpc: '2.0', result: { status: 'OK', subId: 's1' }, id: 7 });
    expect(first.params.payload.state).toBe('UNPAID');
    const outputs = blanks(keys.keysets[0].id, [4]).map((b) => b.output);
    expect((await call('POST', '/v1/mint/bolt11', { quote: quote.quote, outputs })).body.code).toBe(20001);
    const form = await fetch(`${url}/admin/mint-quote/${quote.quote}/pay`, { method: 'POST', body: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415); // what a cross-site form could send is refused
    // From loopback, but without the token or with a wrong one: refused, the quote stays unpaid.
    expect((await call('POST', `/admin/mint-quote/${quote.quote}/pay`, {})).status).toBe(401);
    expect((await call('POST', `/admin/mint-quote/${quote.quote}/pay`, {}, { authorization: `Bearer ${'b'.repeat(64)}` })).status).toBe(401);
    expect((await call('GET', `/v1/mint/quote/bolt11/${quote.quote}`)).body.state).toBe('UNPAID');
    expect((await call('POST', `/admin/mint-quote/${quote.quote}/pay`, {}, { authorization: `Bearer ${'a'.repeat(64)}` })).body.state).toBe('PAID');
    const messages = await client.until(3);
    expect(messages[2].params).toMatchObject({ subId: 's1', payload: { quote: quote.quote, state: 'PAID' } });
    expect((await call('POST', '/v1/mint/bolt11', { quote: quote.quote, outputs })).status).toBe(200);
    expect((await client.until(4))[3].params.payload.state).toBe('ISSUED');
  });

  it('proof_state: UNSPENT first, then SPENT after a swap; unsubscribe and bad requests answered', async () => {
    const { url, mint } = await startMint({});
    const call = fetchCall(url);
    const proofs = await mintProofs(call, [2]);
    const Y = hashToCurve(utf8ToBytes(proofs[0]!.secret)).toHex(true);
    const client = await rawClient(url);
    client.ws.send('not json');
    client.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'nope', params: { subId: 'x' } }));
    client.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'subscribe', params: { kind: 'proof_state', subId: 'p', filters: [Y] } }));
    const m = await client.until(4);
    expect(m[0].error.code).toBe(-32700);
    expect(m[1].error.code).toBe(-32601);
    expect(m[3].params.payload).toEqual({ Y, state: 'UNSPENT', witness: null });
    await call('POST', '/v1/swap', { inputs: proofs, outputs: blanks(mint.keysetId, [2]).map((b) => b.output) });
    expect((await client.until(5))[4].params.payload).toEqual({ Y, state: 'SPENT', witness: null });
    client.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'unsubscribe', params: { subId: 'p' } }));
    expect((await client.until(6))[5].result).toEqual({ status: 'OK', subId: 'p' });
  });

  it('caps connections open at once (503 with Retry-After over the cap, a freed place is taken again) and subscriptions per connection', async () => {
    const { url } = await startMint({ maxWsConnections: 2 });
    const first = await rawClient(url);
    await rawClient(url);
    const refused = new WebSocket(url.replace('http', 'ws') + '/v1/ws');
    const answer = await new Promise<{ status: number; retryAfter: string | undefined; body: string }>((resolve, reject) => {
      refused.once('open', () => reject(new Error('a third connection was accepted')));
      refused.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'], body }));
      });
    });
    refused.on('error', () => undefined); // the client reports the refusal again as an error once the socket ends
    expect(answer).toEqual({ status: 503, retryAfter: '30', body: expect.stringContaining('too many NUT-17 connections') });
    first.ws.close();
    await new Promise((r) => first.ws.once('close', r));
    // The server sees the close a moment after the client: the freed place is taken by a retry.
    let third: Awaited<ReturnType<typeof rawClient>> | undefined;
    for (let i = 0; i < 50 && !third; i++) third = await rawClient(url).catch(() => new Promise<undefined>((r) => setTimeout(() => r(undefined), 20)));
    expect(third).toBeDefined();
    const subscribe = (subId: string) => third!.ws.send(JSON.stringify({ jsonrpc: '2.0', id: subId, method: 'subscribe', params: { kind: 'proof_state', subId, filters: [`02${'ab'.repeat(32)}`] } }));
    for (let i = 0; i <= 100; i++) subscribe(`s${i}`);
    // Each accepted subscription is answered OK, then with the filter's current state (UNSPENT): 201 messages.
    const replies = (await third!.until(201)).filter((x) => x.id !== undefined);
    expect(replies.slice(0, 100).every((x) => x.result?.status === 'OK')).toBe(true);
    expect(replies[100]).toEqual({ jsonrpc: '2.0', error: { code: -32602, message: 'too many subscriptions' }, id: 's100' });
  });
});
