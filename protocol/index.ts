/**
 * Sipster protocol core: the public surface of protocol/ (pure: no I/O, no clock, no Math.random).
 * The crypto API being written is described in docs/protocol-api-draft.md.
 * @module
 */
export * from './p1/index.js';
