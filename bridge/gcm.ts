/**
 * AES-128-GCM from node:crypto for protocol/dlms (which may not import node:). GCM's tag is 12 bytes in
 * DLMS; without a tag (security 0x20/0x21) only the counter-mode part runs, and nothing is checked.
 * @module
 */
import { createDecipheriv } from 'node:crypto';
import type { GcmBackend } from '../protocol/index.js';

export const nodeGcm: GcmBackend = {
  decrypt(key, iv, ciphertext, aad, tag) {
    const decipher = createDecipheriv('aes-128-gcm', key, iv, { authTagLength: 12 });
    if (tag === null) return new Uint8Array(decipher.update(ciphertext));
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    const plaintext = decipher.update(ciphertext);
    try {
      decipher.final();
    } catch {
      return null; // the tag does not verify
    }
    return new Uint8Array(plaintext);
  },
};
