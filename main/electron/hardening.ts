/**
 * The window's hardening (docs/security-electron.md walks Electron's checklist point by point): isolated, sandboxed,
 * no Node; no navigation, no new windows, no webviews; every permission denied except notifications from our own
 * page (issue 7 asks for them); nothing loaded from the network.
 * @module
 */
import type { Session, WebContents, WebPreferences } from 'electron';
import { APP_ORIGIN } from './ipc.js';

export function webPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: process.env.SIPSTER_DEVTOOLS === '1',
  };
}

const ours = (url: string) => url.startsWith(`${APP_ORIGIN}/`);

export function hardenSession(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'webRequest'>): void {
  session.setPermissionRequestHandler((contents, permission, callback) => callback(permission === 'notifications' && ours(contents.getURL())));
  session.setPermissionCheckHandler((_contents, permission, origin) => permission === 'notifications' && ours(`${origin}/`));
  // The app needs no network from its window: anything but app:// (and devtools) is cancelled.
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !(ours(details.url) || details.url.startsWith('devtools://')) }));
}

export function hardenContents(contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
