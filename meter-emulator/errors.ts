/**
 * Refusals of the meter emulator: a state file it cannot trust, or options that make no meter.
 * @module
 */
export type MeterErrorCode = 'bad-state-file' | 'bad-option';

export class MeterError extends Error {
  override readonly name = 'MeterError';
  constructor(
    readonly code: MeterErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
