/**
 * Bad telegram bytes (issue 3): one error class for everything the P1 layer refuses, with a
 * `code` that the bridge counts drops by. Messages name the line number and the OBIS code,
 * never the content of a Sipster line (token bytes, index, mask and count are private).
 * @module
 */
export type TelegramErrorCode =
  | 'truncated' // a frame cut short: no '!' before the next '/' or the end of input
  | 'too-long' // more bytes than any telegram may have before its '!'
  | 'bad-crc' // the CRC digits do not match CRC-16/ARC over '/' … '!'
  | 'missing-crc' // a telegram that must carry a CRC (DSMR ≥ 4, every Sipster telegram) has none
  | 'bad-line' // a line that is not an OBIS object, or a value that does not parse
  | 'bad-sipster-line'; // a Sipster line whose fields do not decode (count, length, hex, range)

export class TelegramError extends Error {
  override readonly name = 'TelegramError';
  constructor(
    readonly code: TelegramErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
