import { describe, expect, it } from 'vitest';
import { HttpError } from './errors.js';
import { newServer } from './http.js';

/** A server with one route that throws what it is told, exercised in memory (inject). */
async function server() {
  const app = newServer({ logger: false, bodyLimit: 64 });
  app.post('/throw', async (req) => {
    const kind = (req.body as { kind?: string } | undefined)?.kind;
    if (kind === 'http') throw new HttpError(402, 'coin-rejected', 'refused');
    throw new Error('database password is hunter2');
  });
  await app.ready();
  return app;
}

describe('newServer error handling', () => {
  it('answers HttpError with its status and code', async () => {
    const app = await server();
    const r = await app.inject({ method: 'POST', url: '/throw', payload: { kind: 'http' } });
    expect([r.statusCode, r.json()]).toEqual([402, { error: 'coin-rejected', message: 'refused' }]);
    await app.close();
  });

  it('answers anything else with a bare 500', async () => {
    const app = await server();
    const r = await app.inject({ method: 'POST', url: '/throw', payload: {} });
    expect([r.statusCode, r.json()]).toEqual([500, { error: 'internal', message: 'internal error' }]);
    expect(r.body).not.toContain('hunter2');
    await app.close();
  });

  it("replaces fastify's own errors, whose messages can quote the body", async () => {
    const app = await server();
    const bad = await app.inject({ method: 'POST', url: '/throw', headers: { 'content-type': 'application/json' }, payload: '{"secret-bytes' });
    expect([bad.statusCode, bad.json().error]).toEqual([400, 'bad-request']);
    expect(bad.body).not.toContain('secret-bytes');
    const big = await app.inject({ method: 'POST', url: '/throw', payload: { pad: 'x'.repeat(100) } });
    expect([big.statusCode, big.json().error]).toEqual([413, 'body-too-large']);
    const text = await app.inject({ method: 'POST', url: '/throw', headers: { 'content-type': 'text/plain' }, payload: 'hi' });
    expect([text.statusCode, text.json().error]).toEqual([415, 'unsupported-media-type']);
    const none = await app.inject({ method: 'GET', url: '/nothing' });
    expect([none.statusCode, none.json().error]).toEqual([404, 'not-found']);
    await app.close();
  });
});
