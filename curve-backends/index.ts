/**
 * Faster implementations of protocol/'s CurveBackend, chosen per process (issue 2, docs/performance.md):
 * native blst + node:crypto for the UC and wherever Node runs; noble (protocol/) stays the reference.
 * @module
 */
import type { CurveBackend } from '../protocol/index.js';
import { blstBackend } from './blst.js';

export { blstBackend } from './blst.js';
export { nodeP256Sign, nodeP256Verify } from './node-p256.js';

/** The fastest backend measured on this platform (docs/performance.md). */
export const fastestBackend = (): CurveBackend => blstBackend();
