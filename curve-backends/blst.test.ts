import { blstBackend } from './index.js';
import { describeBackend } from '../test/support/backend-conformance.js';

// OpenSSL signs with random nonces, so only the signatures' validity is compared, every point byte for byte.
describeBackend(blstBackend(), { exactSignatures: false });
