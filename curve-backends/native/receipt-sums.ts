/**
 * The loader of the receipt-sums addon (receipt_sums.c, built by `npm ci` through build.mjs): protocol's
 * receiptChunkSums for one chunk in one native call over blst's C library, decoding, subgroup checks and both
 * multi-scalar multiplications included. It is N-API, so the one binary serves Node and Electron alike. Where it was
 * not built (no C compiler at install), the loader answers null and the receipt check keeps the backend's path.
 * @module
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ReceiptChunkSums } from '../../protocol/index.js';

export interface ReceiptSumsAddon {
  /** Whether this is the build on blst's mulx/adcx code (receipt_sums_adx.node), which only such CPUs load. */
  readonly adx: boolean;
  /**
   * receiptChunkSums's answer (the same bytes) for the packed chunk.
   * @param items - T then ω of each receipt, 48 + 48 bytes (the pool's packing)
   * @param coefficients - 16 random bytes per item, in order
   */
  receiptChunkSums(items: Uint8Array, coefficients: Uint8Array): ReceiptChunkSums;
}

/** Where the binaries are: node-gyp's output from source (tsx, vitest), the bundle's siblings in the built app. */
const DIR = new URL(import.meta.url.endsWith('.ts') ? './build/Release/' : './', import.meta.url);

/**
 * One build of the addon: receipt_sums.node, for every CPU of the platform, or receipt_sums_adx.node (x86-64 Linux
 * and macOS only), which throws at load on a CPU without ADX and BMI2.
 * @throws what `require` throws when it does not load
 */
export function loadReceiptSumsBuild(adx: boolean): ReceiptSumsAddon {
  return createRequire(import.meta.url)(fileURLToPath(new URL(adx ? 'receipt_sums_adx.node' : 'receipt_sums.node', DIR))) as ReceiptSumsAddon;
}

let addon: ReceiptSumsAddon | Error | undefined;

/**
 * The ADX build where this CPU runs it, else the one for every CPU.
 * @throws an Error naming the missing binary and how to build it, when it does not load here.
 */
export function receiptSumsAddon(): ReceiptSumsAddon {
  if (addon === undefined) {
    try {
      try {
        addon = loadReceiptSumsBuild(true);
      } catch {
        addon = loadReceiptSumsBuild(false);
      }
    } catch (cause) {
      addon = new Error(`the receipt-sums addon does not load from ${fileURLToPath(DIR)} (build it with \`npm run build:native\`: a C compiler, python3 and make)`, { cause });
    }
  }
  if (addon instanceof Error) throw addon;
  return addon;
}

/** The addon, or null where it was not built (the receipt check then sums with the curve backend, slower). */
export function receiptSumsAddonOrNull(): ReceiptSumsAddon | null {
  try {
    return receiptSumsAddon();
  } catch {
    return null;
  }
}
