/**
 * What a copy of a data file would give away (issue 14 §1): an SQLite header in clear, a run of three BIP-39 words
 * (a seed phrase, or part of one), or any of the given secrets (proof secrets, token points) as text or bytes.
 * @module
 */
import { wordlist } from '@scure/bip39/wordlists/english.js';

const WORDS = new Set(wordlist);

/** The findings in `bytes`, one short line each (none when the bytes give nothing away). */
export function scanAtRest(bytes: Buffer, secrets: readonly (string | Buffer)[]): string[] {
  const found: string[] = [];
  if (bytes.includes('SQLite format 3\0', 0, 'latin1')) found.push('an SQLite header in clear');
  const text = bytes.toString('latin1');
  const runs = [...text.matchAll(/[a-z]{3,8}/g)];
  for (let i = 0; i + 2 < runs.length; i++) {
    const [a, b, c] = [runs[i]!, runs[i + 1]!, runs[i + 2]!];
    const adjacent = b.index === a.index + a[0].length + 1 && c.index === b.index + b[0].length + 1;
    if (adjacent && WORDS.has(a[0]) && WORDS.has(b[0]) && WORDS.has(c[0])) {
      found.push(`three BIP-39 words at byte ${a.index}`);
      break;
    }
  }
  for (const s of secrets) if (s.length > 0 && bytes.includes(s)) found.push(`a secret (${s.length} ${typeof s === 'string' ? 'characters' : 'bytes'})`);
  return found;
}
