/**
 * Errors from a tor process and its control port (style.md §Error types: one class, a code union, ES2022 `cause`).
 * The engine shows them as a proxy that is not working: nothing is sent while tor is not ready (fail closed).
 * @module
 */
export type TorErrorCode =
  /** No `tor` binary where we looked. */
  | 'tor-missing'
  /** tor refused its configuration or exited before it was ready. */
  | 'tor-exited'
  /** The control port refused a command or the authentication. */
  | 'control-refused'
  /** The control connection closed or never opened. */
  | 'control-closed'
  /** Something did not happen within its bound. */
  | 'timeout';

export class TorError extends Error {
  override readonly name = 'TorError';
  constructor(
    readonly code: TorErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
