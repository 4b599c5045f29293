/**
 * An encrypted P1 or DLMS push meter as the household chose it (hex keys, framing) → the bridge's link
 * options: the keys as bytes, and the line its framing needs (M-Bus 2400 8E1; otherwise 115200 8N1).
 * @module
 */
import type { SerialLinkOptions } from '../../bridge/index.js';
import { hexToBytes } from '../../protocol/index.js';
import type { MeterEncryption } from '../api/index.js';

export function dlmsLinkOptions(e: MeterEncryption): Pick<SerialLinkOptions, 'dlms' | 'line'> {
  const authKey = e.authKey === undefined ? {} : { authKey: e.authKey === null ? null : hexToBytes(e.authKey) };
  return { dlms: { key: hexToBytes(e.key), ...authKey }, line: e.framing === 'mbus' ? 'mbus' : 'dsmr4' };
}
