/**
 * Why an encrypted P1 or DLMS push frame is refused: one error class, one code per kind, so that the
 * bridge counts drops by code and a person can tell a wrong key from a damaged frame where the frame allows it.
 * Messages never carry key bytes, plaintext or frame bytes.
 * @module
 */
export type DlmsErrorCode =
  | 'bad-frame' // the transport frame is damaged: M-Bus checksum or end byte, HDLC HCS/FCS, a GBT block out of order
  | 'bad-apdu' // not a general-glo-ciphering APDU we can open: length that does not match, compression, another cipher suite
  | 'wrong-key' // the decrypted bytes are noise: the encryption key (GUEK) is not this meter's
  | 'wrong-auth-key' // the data decrypts and decodes, but the GCM tag fails: the authentication key (GAK) is not this meter's
  | 'damaged' // the tag fails and the data decrypts to the right start but does not decode: ciphertext or tag damaged
  | 'bad-data'; // the plaintext is not a data-notification whose A-XDR parses to its last byte

export class DlmsError extends Error {
  override readonly name = 'DlmsError';
  constructor(
    readonly code: DlmsErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
