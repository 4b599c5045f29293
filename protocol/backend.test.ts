import { nobleBackend } from './index.js';
import { describeBackend } from '../test/support/backend-conformance.js';

// noble is the reference: its RFC 6979 signatures must match the committed vectors byte for byte.
describeBackend(nobleBackend, { exactSignatures: true });
