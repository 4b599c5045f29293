/**
 * Lost answers at a real mint, for the crash-safety tests of the wallet's mint requests: `cut(path, when)` makes the
 * mint's next request to `path` never reach it ('before') or lose its answer after the mint has committed ('after').
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Mint } from '../../mint/index.js';

export type Cut = 'before' | 'after';

export function cutAnswers(mint: Mint): (path: string, when: Cut) => void {
  const cuts = new Map<string, Cut>();
  mint.app.server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const when = cuts.get(req.url ?? '');
    if (!when) return;
    cuts.delete(req.url ?? '');
    if (when === 'before') { req.socket.destroy(); return; }
    res.end = (() => { req.socket.destroy(); return res; }) as typeof res.end; // the mint has committed by now
  });
  return (path, when) => void cuts.set(path, when);
}
