/**
 * The e-cash backup: a BIP-39 seed phrase made at first start, from which every proof's secret is derived
 * (Cashu NUT-13), so the coins can be restored from the phrase alone (NUT-09). Shown to the user once.
 * @module
 */
import { generateMnemonic, mnemonicToSeedSync, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { EngineError } from '../errors.js';
import { type Db, getMeta, setMeta } from '../wallet/index.js';

const PHRASE = 'seed-phrase';
const SHOWN = 'seed-phrase-shown';

/** The phrase, created (128 bits, 12 words) on first call. */
export function ensureSeedPhrase(db: Db): string {
  return db.transaction(() => {
    const existing = getMeta(db, PHRASE);
    if (existing !== null) return existing;
    const phrase = generateMnemonic(wordlist, 128);
    setMeta(db, PHRASE, phrase);
    return phrase;
  })();
}

/** The phrase's words, once; then 'seed-already-shown'. */
export function takeSeedPhrase(db: Db): string[] {
  return db.transaction(() => {
    if (getMeta(db, SHOWN) !== null) throw new EngineError('seed-already-shown', 'the seed phrase was shown once already');
    setMeta(db, SHOWN, new Date().toISOString());
    return ensureSeedPhrase(db).split(' ');
  })();
}

export const isValidSeedPhrase = (phrase: string): boolean => validateMnemonic(phrase, wordlist);

/** The 64-byte BIP-39 seed cashu-ts derives NUT-13 secrets from. */
export const bip39Seed = (db: Db): Uint8Array => mnemonicToSeedSync(ensureSeedPhrase(db));
