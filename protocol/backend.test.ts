import { describe, it } from 'vitest';
import { fuzzDecoders } from '../test/support/decoder-fuzz.js';
import { nobleBackend } from './index.js';
import { describeBackend } from '../test/support/backend-conformance.js';

// noble is the reference: its RFC 6979 signatures must match the committed vectors byte for byte.
describeBackend(nobleBackend, { exactSignatures: true });

describe('decoders (noble)', () => {
  it('fuzz: random and mutated inputs raise only DecodeError', () => fuzzDecoders(nobleBackend, 1500), 600_000);
});
