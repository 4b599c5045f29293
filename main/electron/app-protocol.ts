/**
 * The window's pages come from `app://sipster/`, a privileged custom scheme mapped onto the built renderer, not from
 * file:// (Electron security checklist: "Avoid usage of the file:// protocol"). Every response carries the CSP.
 * @module
 */
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Net, Protocol } from 'electron';

/** Like the browser host's, plus nothing from the network at all: connect-src 'none'. */
export const CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
  "connect-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

/** The file under `root` an app:// URL names, or null when the path would leave `root`. */
export function resolveAppFile(url: string, root: string): string | null {
  const { host, pathname } = new URL(url);
  if (host !== 'sipster') return null;
  const rel = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  const file = normalize(join(root, rel));
  return file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : null;
}

export function serveApp(protocol: Pick<Protocol, 'handle'>, net: Pick<Net, 'fetch'>, root: string): void {
  protocol.handle('app', async (request) => {
    const file = resolveAppFile(request.url, root);
    if (file === null) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });
}
