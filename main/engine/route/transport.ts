/**
 * Which addresses may carry a coin (issue 14 §2): plain http:// lets a Tor exit read the coin in /v1/pay and spend it
 * first, so only https:// or a .onion (Tor's own end-to-end encryption) — except loopback, for the demo and tests.
 * @module
 */
import { isLoopback } from '../socks-hop/index.js';

/** Why `url` may not carry coins, in plain words naming `what` ("utility", "mint"), or null when it may. */
export function cleartextRefusal(url: URL, what: string): string | null {
  if (url.protocol === 'https:') return null;
  if (url.protocol !== 'http:') return `the ${what} address must start with https://`;
  const host = url.hostname.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1'); // URL keeps IPv6 in brackets
  if (host.endsWith('.onion') || isLoopback(host)) return null;
  return `the ${what} address ${url.origin} is plain http://: anyone on the way (a Tor exit) could read and spend the coins; use https:// or a .onion address`;
}
