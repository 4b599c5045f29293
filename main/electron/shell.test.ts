import { describe, expect, it } from 'vitest';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNEL, ENGINE_METHODS, EVENT_CHANNEL, type EngineStatus } from '../api/index.js';
import { fakeEngine } from '../../test/support/browser-engine.js';
import { callEngine } from '../host/index.js';
import { CSP, resolveAppFile } from './app-protocol.js';
import { hardenContents, hardenSession, webPreferences } from './hardening.js';
import { isTrustedSender, relayIpc } from './ipc.js';
import { trayStatus } from './tray.js';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

function fakeIpc() {
  const handlers = new Map<string, Handler>();
  return { handlers, handle: (ch: string, h: Handler) => void handlers.set(ch, h), removeHandler: (ch: string) => void handlers.delete(ch) };
}

function fakeWindow() {
  const sent: [string, unknown][] = [];
  return { sent, win: { id: 7, isDestroyed: () => false, send: (ch: string, v: unknown) => void sent.push([ch, v]) } as unknown as WebContents };
}

const from = (id: number, url: string, parent: object | null = null) => ({ sender: { id }, senderFrame: { url, parent } }) as unknown as IpcMainInvokeEvent;

describe('IPC relay', () => {
  it('trusts only our window, its top frame, showing app://sipster/', () => {
    const win = { id: 7 };
    expect(isTrustedSender(from(7, 'app://sipster/index.html'), win)).toBe(true);
    expect(isTrustedSender(from(8, 'app://sipster/index.html'), win)).toBe(false);
    expect(isTrustedSender(from(7, 'https://evil.example/'), win)).toBe(false);
    expect(isTrustedSender(from(7, 'app://sipster.evil/'), win)).toBe(false);
    expect(isTrustedSender(from(7, 'app://sipster/x', {}), win)).toBe(false);
  });

  it('one handler per method, each answering a Reply; events go to the window; all removed on dispose', async () => {
    const ipc = fakeIpc();
    const engine = fakeEngine();
    const { win, sent } = fakeWindow();
    const dispose = relayIpc(ipc, { call: (m, a) => callEngine(engine, m, a), onEvent: engine.onEvent }, win);
    expect([...ipc.handlers.keys()].sort()).toEqual(ENGINE_METHODS.map(CHANNEL).sort());
    const ok = from(7, 'app://sipster/index.html');
    expect(await ipc.handlers.get(CHANNEL('getWallet'))!(ok)).toMatchObject({ ok: true, value: { balance: 200 } });
    expect(await ipc.handlers.get(CHANNEL('topUp'))!(ok, 0)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await ipc.handlers.get(CHANNEL('getWallet'))!(from(9, 'app://sipster/'))).toEqual({ ok: false, error: { code: 'bad-request', message: 'untrusted sender' } });
    engine.unplug();
    expect(sent[0]?.[0]).toBe(EVENT_CHANNEL);
    dispose();
    expect(ipc.handlers.size).toBe(0);
    engine.replug();
    expect(sent).toHaveLength(1);
  });
});

describe('hardening', () => {
  it('isolates, sandboxes, and gives the page no Node', () => {
    const p = webPreferences('/app/preload.cjs');
    expect(p).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, allowRunningInsecureContent: false });
  });

  it('denies every permission but notifications for our page, and all network', () => {
    let request: Parameters<Parameters<typeof hardenSession>[0]['setPermissionRequestHandler']>[0] = null;
    let check: Parameters<Parameters<typeof hardenSession>[0]['setPermissionCheckHandler']>[0] = null;
    let before: ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | null = null;
    hardenSession({
      setPermissionRequestHandler: (h: typeof request) => void (request = h),
      setPermissionCheckHandler: (h: typeof check) => void (check = h),
      webRequest: { onBeforeRequest: (h: typeof before) => void (before = h) },
    } as unknown as Parameters<typeof hardenSession>[0]);
    const answers: boolean[] = [];
    const page = (url: string) => ({ getURL: () => url }) as WebContents;
    for (const [url, perm] of [['app://sipster/', 'notifications'], ['app://sipster/', 'media'], ['https://x.example/', 'notifications'], ['app://sipster/', 'geolocation']] as const)
      request!(page(url), perm, (granted) => answers.push(granted), {} as never);
    expect(answers).toEqual([true, false, false, false]);
    expect(check!(null, 'notifications', 'app://sipster', {} as never)).toBe(true);
    expect(check!(null, 'clipboard-read', 'app://sipster', {} as never)).toBe(false);
    const cancelled = (url: string) => { let c = false; before!({ url }, (r) => (c = r.cancel)); return c; };
    expect(cancelled('app://sipster/assets/x.js')).toBe(false);
    expect(cancelled('https://example.com/')).toBe(true);
    expect(cancelled('http://127.0.0.1:3338/v1/keys')).toBe(true);
  });

  it('blocks navigation, redirects, webviews and new windows', () => {
    const on = new Map<string, (e: { preventDefault(): void }) => void>();
    let open: (() => { action: string }) | null = null;
    hardenContents({ on: (ev: string, h: never) => (on.set(ev, h), undefined), setWindowOpenHandler: (h: never) => void (open = h) } as never);
    for (const ev of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      on.get(ev)!({ preventDefault: () => (prevented = true) });
      expect(prevented, ev).toBe(true);
    }
    expect(open!()).toEqual({ action: 'deny' });
  });

  it('serves only files under the renderer, with the CSP', () => {
    expect(resolveAppFile('app://sipster/', '/app/r')).toBe('/app/r/index.html');
    expect(resolveAppFile('app://sipster/assets/a.js', '/app/r')).toBe('/app/r/assets/a.js');
    // The URL parser folds dot segments before we see them: the path stays under the root.
    expect(resolveAppFile('app://sipster/%2e%2e/%2e%2e/etc/passwd', '/app/r')).toBe('/app/r/etc/passwd');
    expect(resolveAppFile('app://sipster/..%2f..%2fetc/passwd', '/app/r')).toBeNull();
    expect(resolveAppFile('app://other/index.html', '/app/r')).toBeNull();
    expect(CSP).toMatch(/^default-src 'none'/);
    expect(CSP).toContain("connect-src 'none'");
  });
});

describe('tray', () => {
  it('names the most urgent problem', async () => {
    const s: EngineStatus = await fakeEngine({ backedUp: true }).api.getStatus();
    expect(trayStatus(s)).toBe('Sipster Home: all fine');
    expect(trayStatus({ ...s, meter: { ...s.meter, state: 'disconnected' } })).toMatch(/meter disconnected/);
    expect(trayStatus({ ...s, proxy: { ...s.proxy, state: 'refused' }, utility: { ...s.utility, state: 'key-changed' } })).toMatch(/key changed/);
    expect(trayStatus({ ...s, utility: { ...s.utility, state: 'mint-changed' } })).toMatch(/another mint, payments stopped/);
  });
});
