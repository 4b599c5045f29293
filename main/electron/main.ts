/**
 * The Electron shell (architecture.md §Processes): one hardened window onto the headless engine, a tray icon with
 * status, one instance at a time. The engine runs in its own utility process (engine-process.ts), restarted when it
 * dies (engine-supervisor.ts); this process only relays between it and the window. Everything that can run without
 * Electron lives elsewhere (main/engine, the renderer, browser mode). Bundled to ES modules by `npm run build:app`.
 * @module
 */
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, Menu, nativeImage, net, protocol, safeStorage, session, Tray, utilityProcess } from 'electron';
import type { EngineStatus } from '../api/index.js';
import { serveApp } from './app-protocol.js';
import type { EngineLink } from './engine-protocol.js';
import { superviseEngine, type EngineChild } from './engine-supervisor.js';
import { hardenContents, hardenSession, webPreferences } from './hardening.js';
import { APP_ORIGIN, relayIpc } from './ipc.js';
import { trayStatus } from './tray.js';
import { sealedWalletKey } from './wallet-key.js';

// Must run before `ready`: app:// behaves like https (secure, standard) for the page, and is the only scheme it uses.
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: false } }]);

/** Beside this bundle: dist/electron/main.mjs, engine.mjs, preload.cjs and dist/renderer/; build/ holds the icons. */
const here = import.meta.dirname;
const rendererDir = join(here, '..', 'renderer');
const icon = join(here, '..', '..', 'build', 'icon.png');

/** One engine process; its messages are engine-protocol.ts's. */
function forkEngine(): EngineChild {
  const child = utilityProcess.fork(join(here, 'engine.mjs'), [], { serviceName: 'Sipster Home engine' });
  child.on('error', () => {}); // a fatal V8 error: 'exit' follows, and the supervisor restarts it
  return {
    port: {
      send: (m) => child.postMessage(m),
      listen(handler) {
        child.on('message', handler);
        return () => void child.off('message', handler);
      },
    },
    onExit: (listener) => void child.once('exit', listener),
    kill: () => void child.kill(),
  };
}

let window: BrowserWindow | null = null;
let tray: Tray | null = null;

function showWindow(engine: EngineLink): void {
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

function startTray(engine: EngineLink): void {
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
  const refresh = () =>
    void engine.call('getStatus', []).then((r) => tray?.setToolTip(r.ok ? trayStatus(r.value as EngineStatus) : `Sipster Home: ${r.error.message}`));
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

  // The engine process reads the same launch options as the CLI (main/host/launch-options.ts); Chromium's own
  // switches are let through. Once given, the engine remembers them, so an installed app starts with none.
  // The wallet's key, sealed by the OS keychain; without one the window asks for the passphrase unless --passphrase-file is given.
  const sealed = sealedWalletKey(safeStorage, join(app.getPath('userData'), 'wallet-key.sealed'));
  if (sealed.state === 'unavailable') console.warn(sealed.reason);
  const engine = superviseEngine({
    spawn: forkEngine,
    start: {
      argv: process.argv.slice(app.isPackaged ? 1 : 2), defaultDataDir: join(app.getPath('userData'), 'wallet'),
      ...(sealed.state === 'ok' ? { walletKey: sealed.keyHex } : {}),
    },
  });
  app.on('second-instance', () => showWindow(engine));
  app.on('activate', () => showWindow(engine));
  // Closing the window keeps payments running from the tray; Quit closes the engine's wallet first.
  app.on('window-all-closed', () => {});
  app.on('before-quit', (e) => {
    if (engine.state === 'stopped') return;
    e.preventDefault();
    void engine.stop().finally(() => app.quit());
  });
  startTray(engine);
  showWindow(engine);
}

void main();
