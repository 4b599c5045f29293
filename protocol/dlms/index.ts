/**
 * Encrypted P1 and DLMS push meters, pure: transport framing (raw, M-Bus, HDLC with General Block
 * Transfer), the general-glo-ciphering header and its opening with a given AES-GCM, A-XDR, and the
 * data-notification decoded into the same Readings as a DSMR telegram. The frame counter's order and
 * the cipher are the bridge's (state and node:crypto).
 * @module
 */
export { DlmsError, type DlmsErrorCode } from './errors.js';
export { DlmsFramer, sniffFraming, crc16x25, MAX_APDU_BYTES, type DlmsFraming, type DlmsFramerEvent } from './framer.js';
export { openApdu, parseGlo, LUXEMBOURG_AUTH_KEY, type GcmBackend, type DlmsKeys, type GloCiphered, type OpenedApdu } from './apdu.js';
export { decodeDataNotification, decodeDateTime, DATA_NOTIFICATION } from './notification.js';
export { readData, readLength, type AxdrData } from './axdr.js';
