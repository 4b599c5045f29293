/**
 * The Electron shell (architecture.md §Processes): one hardened window onto the headless engine, a tray icon with
 * status, one instance at a time. Everything that can run without Electron lives elsewhere (main/engine, the
 * renderer, browser mode); this file only wires Electron to it. Bundled to an ES module by `npm run build:app`.
 * @module
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { app, BrowserWindow, ipcMain, Menu, nativeImage, net, protocol, session, Tray } from 'electron';
import { createEngine, toApiError } from '../engine/index.js';
import { serveApp } from './app-protocol.js';
import { hardenContents, hardenSession, webPreferences } from './hardening.js';
import { APP_ORIGIN, relayIpc, type EngineHandle } from './ipc.js';
import { trayStatus } from './tray.js';

// Must run before `ready`: app:// behaves like https (secure, standard) for the page, and is the only scheme it uses.
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: false } }]);

/** Beside this bundle: dist/electron/main.mjs, preload.cjs and dist/renderer/; build/ holds the icons. */
const here = import.meta.dirname;
const rendererDir = join(here, '..', 'renderer');
const icon = join(here, '..', '..', 'build', 'icon.png');

/**
 * `--data DIR --uc URL --mint URL --socks HOST:PORT --socks-label LABEL --serial PATH` (the demo passes them); the
 * engine remembers each once given, so an installed app starts with none. Chromium's own switches are ignored.
 * main/host/browser/main.ts reads the same options (two rooms may not import each other; see docs/app.md).
 */
function engineOptions(argv: string[], defaultData: string): Parameters<typeof createEngine>[0] {
  const { values: v } = parseArgs({
    args: argv, strict: false, allowPositionals: true,
    options: { data: { type: 'string' }, uc: { type: 'string' }, mint: { type: 'string' }, socks: { type: 'string' }, 'socks-label': { type: 'string' }, serial: { type: 'string' } },
  });
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  const socks = str(v.socks)?.split(':');
  return {
    dataDir: str(v.data) ?? defaultData,
    ...(str(v.uc) ? { ucUrl: str(v.uc) } : {}),
    ...(str(v.mint) ? { mintUrl: str(v.mint) } : {}),
    ...(socks ? { socks: { host: socks[0]!, port: Number(socks[1]), label: (str(v['socks-label']) ?? 'custom') as SocksLabel } } : {}),
    ...(str(v.serial) ? { serial: { port: str(v.serial)! } } : {}),
  };
}

type SocksLabel = NonNullable<NonNullable<Parameters<typeof createEngine>[0]['socks']>['label']>;
let window: BrowserWindow | null = null;
let tray: Tray | null = null;

function showWindow(engine: EngineHandle): void {
  if (window !== null) {
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    return;
  }
  const win = new BrowserWindow({
    width: 1200,
    height: 820,
    minWidth: 720,
    minHeight: 520,
    show: false,
    title: 'Sipster Home',
    icon,
    autoHideMenuBar: true,
    webPreferences: webPreferences(join(here, 'preload.cjs')),
  });
  hardenContents(win.webContents);
  const stopRelay = relayIpc(ipcMain, engine, win.webContents);
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    stopRelay();
    window = null;
  });
  window = win;
  void win.loadURL(`${APP_ORIGIN}/index.html`);
}

function startTray(engine: EngineHandle): void {
  tray = new Tray(nativeImage.createFromPath(icon));
  tray.setToolTip('Sipster Home');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open Sipster Home', click: () => showWindow(engine) },
      { type: 'separator' },
      { label: 'Quit', click: () => app.quit() },
    ]),
  );
  tray.on('click', () => showWindow(engine));
  const refresh = () => void engine.api.getStatus().then((s) => tray?.setToolTip(trayStatus(s)), () => {});
  engine.onEvent((e) => (e.kind === 'status' ? tray?.setToolTip(trayStatus(e.status)) : e.kind === 'proxy' || e.kind === 'alarm' ? refresh() : undefined));
  refresh();
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.enableSandbox();
  await app.whenReady();
  Menu.setApplicationMenu(null);
  hardenSession(session.defaultSession);
  serveApp(protocol, net, rendererDir);
  // Any other web contents (there should be none) gets the same rules.
  app.on('web-contents-created', (_e, contents) => hardenContents(contents));

  const engine = await createEngine(engineOptions(process.argv.slice(app.isPackaged ? 1 : 2), join(app.getPath('userData'), 'wallet')));
  const handle: EngineHandle = { api: engine, onEvent: (l) => engine.onEvent(l), toApiError };
  app.on('second-instance', () => showWindow(handle));
  app.on('activate', () => showWindow(handle));
  // Closing the window keeps payments running from the tray; Quit stops the engine.
  app.on('window-all-closed', () => {});
  app.on('before-quit', () => void engine.close());
  startTray(handle);
  showWindow(handle);
}

void main();
