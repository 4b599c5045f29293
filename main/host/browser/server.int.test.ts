import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import { fakeEngine } from '../../../test/support/browser-engine.js';
import { answer } from './bridge.js';
import { CSP, startBrowserHost } from './server.js';

async function host() {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-renderer-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Sipster Home</title>');
  const engine = fakeEngine({ readings: 3 });
  const h = await startBrowserHost({ engine, rendererDir: dir });
  onTestFinished(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const secret = new URL(h.url).hash.slice('#secret='.length);
  const origin = `http://127.0.0.1:${h.port}`;
  return { h, engine, secret, origin };
}

/** Opens a socket and resolves with it, or with the HTTP status the upgrade was refused with. */
function connect(url: string, origin: string): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(-1));
  });
}

function next(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()))));
}

describe('browser-mode host', () => {
  it('serves the window on loopback with a strict CSP, keeping the secret out of HTTP', async () => {
    const { h, origin } = await host();
    expect(h.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#secret=[\w-]{43}$/);
    const res = await fetch(`${origin}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Sipster Home');
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(CSP.startsWith("default-src 'none'")).toBe(true);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses a page served under another host name (DNS rebinding)', async () => {
    const { h } = await host();
    const res = await new Promise<number>((resolve) =>
      request({ host: '127.0.0.1', port: h.port, path: '/', headers: { host: `evil.example:${h.port}` } }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      }).end(),
    );
    expect(res).toBe(403);
  });

  it('accepts the socket only with the secret, from its own origin', async () => {
    const { h, secret, origin } = await host();
    const api = `ws://127.0.0.1:${h.port}/api`;
    expect(await connect(`${api}?secret=${secret}`, 'http://evil.example')).toBe(403);
    expect(await connect(`${api}?secret=${secret}`, `http://localhost:${h.port}`)).toBe(403);
    expect(await connect(`${api}?secret=${secret.slice(0, -1)}A`, origin)).toBe(403);
    expect(await connect(api, origin)).toBe(403);
    expect(await connect(`ws://127.0.0.1:${h.port}/other?secret=${secret}`, origin)).toBe(404);
    const ws = await connect(`${api}?secret=${secret}`, origin);
    expect(ws).toBeInstanceOf(WebSocket);
    (ws as WebSocket).close();
  });

  it('answers calls with Replies and pushes events', async () => {
    const { h, engine, secret, origin } = await host();
    const ws = (await connect(`ws://127.0.0.1:${h.port}/api?secret=${secret}`, origin)) as WebSocket;
    onTestFinished(() => ws.close());
    ws.send(JSON.stringify({ id: 1, method: 'getWallet', args: [] }));
    expect(await next(ws)).toEqual({ id: 1, reply: { ok: true, value: expect.objectContaining({ balance: 200, backedUp: false }) } });
    ws.send(JSON.stringify({ id: 2, method: 'topUp', args: [-3] }));
    expect(await next(ws)).toEqual({ id: 2, reply: { ok: false, error: { code: 'bad-request', message: 'units must be a positive integer' } } });
    const event = next(ws);
    const emitted: unknown[] = [];
    engine.onEvent((e) => emitted.push(e));
    engine.unplug();
    expect(emitted.length).toBeGreaterThan(0);
    expect(await event).toEqual({ event: emitted[0] });
  });

  it('refuses anything but a listed method with short array arguments', async () => {
    const engine = fakeEngine();
    expect(await answer(engine, JSON.stringify({ id: 1, method: 'constructor', args: [] }))).toEqual({ id: 1, reply: { ok: false, error: { code: 'bad-request', message: 'unknown method' } } });
    expect(await answer(engine, JSON.stringify({ id: 2, method: 'topUp', args: 5 }))).toMatchObject({ reply: { ok: false, error: { code: 'bad-request' } } });
    expect(await answer(engine, JSON.stringify({ id: 3, method: 'topUp', args: [1, 2, 3, 4, 5] }))).toMatchObject({ reply: { ok: false } });
    expect(await answer(engine, 'not json')).toBeNull();
    expect(await answer(engine, JSON.stringify({ method: 'getStatus', args: [] }))).toBeNull();
    expect(await answer(engine, JSON.stringify({ id: 4, method: 'takeSeedPhrase', args: [] }))).toMatchObject({ reply: { ok: true } });
    expect(await answer(engine, JSON.stringify({ id: 5, method: 'takeSeedPhrase', args: [] }))).toMatchObject({ reply: { ok: false, error: { code: 'seed-already-shown' } } });
  });
});
