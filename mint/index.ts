/**
 * Public surface of mint/: a Cashu-protocol mint for Sipster Home's demo and tests (docs/mint.md).
 * @module
 */
export { createMint, MINT_VERSION, type Mint, type MintOptions } from './mint.js';
export { MintError, MINT_ERROR_CODES, type MintErrorCode } from './errors.js';
export {
  FAKE_NETWORKS,
  FakeLightning,
  type FakeLightningOptions,
  type FakeNetwork,
  type Invoice,
  type InvoiceRequest,
  type LightningBackend,
  type PaymentQuote,
  type PaymentResult,
} from './lightning.js';
