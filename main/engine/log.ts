/**
 * The engine's logger: one line per event, through a redacting sink (Signal's privacy.node.ts, style.md §Error
 * types). Logs never carry token bytes, an index, K, ρ, receipts or proofs: the engine logs states and reasons
 * only, and the sink still strips anything that looks like a point, a scalar, a coin or a seed phrase.
 * @module
 */
import type { LogLine } from '../api/index.js';

export type LogLevel = 'info' | 'warn' | 'error';
export type LogSink = (line: string) => void;

const PATTERNS: readonly [RegExp, string][] = [
  [/cashu[AB][A-Za-z0-9_=+/-]+/g, '[coin]'],
  [/\b(?:0x)?[0-9a-fA-F]{32,}\b/g, '[hex]'],
  [/\b(?:[a-z]{3,8} ){11,23}[a-z]{3,8}\b/g, '[words]'], // a BIP-39 phrase
];

/** Removes anything secret-shaped from a log line. */
export function redact(text: string): string {
  return PATTERNS.reduce((s, [re, by]) => s.replace(re, by), text);
}

export interface Logger {
  log(level: LogLevel, message: string): void;
}

export function createLogger(sink: LogSink = (l) => process.stderr.write(`${l}\n`)): Logger {
  return { log: (level, message) => sink(redact(`${new Date().toISOString()} ${level} ${message}`)) };
}

/** Lines kept for Settings and bug reports: enough for a day of changes (failures are logged once per change). */
export const RECENT_LINES = 500;

/** A logger that also keeps its newest lines, redacted, in memory (getLogs). */
export function keepRecent(inner: Logger, max = RECENT_LINES): Logger & { recent(limit: number): LogLine[] } {
  const lines: LogLine[] = [];
  return {
    log(level, message) {
      lines.push({ at: new Date().toISOString(), level, message: redact(message) });
      if (lines.length > max) lines.splice(0, lines.length - max);
      inner.log(level, message);
    },
    recent: (limit) => lines.slice(-limit),
  };
}
