import { describe, it } from 'vitest';
import { fuzzDecoders } from '../test/support/decoder-fuzz.js';
import { blstBackend } from './index.js';
import { describeBackend } from '../test/support/backend-conformance.js';

// OpenSSL signs with random nonces, so only the signatures' validity is compared, every point byte for byte.
describeBackend(blstBackend(), { exactSignatures: false });

describe('decoders (blst)', () => {
  it('fuzz: random and mutated inputs raise only DecodeError', () => fuzzDecoders(blstBackend(), 3000), 600_000);
});
