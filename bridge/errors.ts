/**
 * Why the bridge dropped a telegram (issue 3). A LinkError is counted by code and dropped; it never
 * leaves the read loop. Messages never carry token bytes, token index, mask or count.
 * @module
 */
import type { DlmsErrorCode, TelegramErrorCode } from '../protocol/index.js';

export type LinkErrorCode =
  | TelegramErrorCode
  | DlmsErrorCode // an encrypted P1 or DLMS push frame that is damaged or does not open with the keys given
  | 'replayed' // a DLMS frame whose frame counter does not increase
  | 'bad-token' // a token's point does not decode or its set signature does not verify
  | 'bad-bill' // the bill's point or signature is bad, or it names another meter
  | 'port' // the serial port could not be opened or went away
  | 'bad-keys' // a meter key file that does not hold two valid P-256 public keys
  | 'bad-address'; // a network meter's address that is not tcp://HOST:PORT or homewizard://HOST[:PORT]

export type DropReason = Exclude<LinkErrorCode, 'port' | 'bad-keys' | 'bad-address'>;
export const DROP_REASONS = ['truncated', 'too-long', 'bad-crc', 'missing-crc', 'bad-line', 'bad-sipster-line', 'bad-token', 'bad-bill',
  'bad-frame', 'bad-apdu', 'wrong-key', 'wrong-auth-key', 'damaged', 'bad-data', 'replayed'] as const satisfies readonly DropReason[];

export class LinkError extends Error {
  override readonly name = 'LinkError';
  constructor(
    readonly code: LinkErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
