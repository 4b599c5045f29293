/**
 * Tor's control protocol (control-spec.txt §2–§4), the pure half: framing replies out of a byte stream and reading
 * the few reply and event shapes the engine needs. No I/O here; `control-client.ts` does the socket.
 *
 *   250-key=value        a middle line            650 STREAM ...   an asynchronous event (code 650)
 *   250+key=             a data line follows,     250 OK           the last line of a reply
 *   .                    ended by a lone dot (a leading dot is doubled inside the data)
 * @module
 */

/** One complete reply: its status code and its lines, without the code; a data block is joined to its line by \n. */
export interface ControlReply {
  code: number;
  lines: string[];
}

/** Splits a control-port byte stream into complete replies, in order; events (code 650) are replies too. */
export class ReplyFramer {
  private pending = '';
  private lines: string[] = [];
  private data: string[] | null = null;

  /** Feeds a chunk; returns every reply it completed. Throws on a line that is not control-protocol. */
  push(chunk: string): ControlReply[] {
    this.pending += chunk;
    const done: ControlReply[] = [];
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, nl).replace(/\r$/, '');
      this.pending = this.pending.slice(nl + 1);
      const reply = this.line(line);
      if (reply) done.push(reply);
    }
    return done;
  }

  private line(line: string): ControlReply | null {
    if (this.data) {
      if (line === '.') {
        this.lines[this.lines.length - 1] += `\n${this.data.join('\n')}`;
        this.data = null;
      } else this.data.push(line.startsWith('..') ? line.slice(1) : line);
      return null;
    }
    const m = /^(\d{3})([ +-])(.*)$/.exec(line);
    if (!m) throw new SyntaxError(`not a control-protocol line: ${JSON.stringify(line.slice(0, 80))}`);
    const [, code, sep, text] = m as unknown as [string, string, string, string];
    this.lines.push(text);
    if (sep === '+') this.data = [];
    if (sep !== ' ') return null;
    const reply = { code: Number(code), lines: this.lines };
    this.lines = [];
    return reply;
  }
}

/** Positional words and KEY=VALUE pairs of one line; a value may be a "quoted string" with backslash escapes. */
export interface Keywords {
  words: string[];
  keys: Record<string, string>;
}

const TOKEN = /\s*(?:([A-Za-z0-9_]+)=("(?:[^"\\]|\\.)*"|\S*)|(\S+))/y;

export function parseKeywords(text: string): Keywords {
  const out: Keywords = { words: [], keys: {} };
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN.exec(text))) {
    if (m[3] !== undefined) out.words.push(m[3]);
    else out.keys[m[1] as string] = unquote(m[2] as string);
  }
  return out;
}

function unquote(v: string): string {
  if (!v.startsWith('"')) return v;
  return v.slice(1, -1).replace(/\\(.)/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
}

/** `GETINFO a b` answers `250-a=…`, `250+b=` + data, `250 OK`: the values by key. */
export function parseGetInfo(reply: ControlReply): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of reply.lines) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1).replace(/^\n/, '');
  }
  return out;
}

/** An asynchronous event: its name (`STREAM`, `CIRC`, `STATUS_CLIENT`, …) and the rest of its first line. */
export interface ControlEvent {
  name: string;
  body: string;
}

export function toEvent(reply: ControlReply): ControlEvent | null {
  if (reply.code !== 650) return null;
  const first = reply.lines[0] ?? '';
  const sp = first.indexOf(' ');
  return sp < 0 ? { name: first, body: '' } : { name: first.slice(0, sp), body: first.slice(sp + 1) };
}

/** Bootstrap progress (control-spec §5.5.2 "BOOTSTRAP"): from `GETINFO status/bootstrap-phase` or a STATUS_CLIENT event. */
export interface BootstrapPhase {
  progress: number;
  tag: string;
  summary: string;
  /** Set when tor reports a bootstrap problem (severity WARN): tor's own words, for the window. */
  warning: string | null;
}

/** Reads `NOTICE BOOTSTRAP PROGRESS=50 TAG=… SUMMARY="…"`; null for any other status line. */
export function parseBootstrap(text: string): BootstrapPhase | null {
  const { words, keys } = parseKeywords(text);
  if (words[1] !== 'BOOTSTRAP' || keys.PROGRESS === undefined) return null;
  const progress = Number(keys.PROGRESS);
  if (!Number.isInteger(progress) || progress < 0 || progress > 100) return null;
  return {
    progress,
    tag: keys.TAG ?? '',
    summary: keys.SUMMARY ?? '',
    warning: words[0] === 'WARN' ? (keys.WARNING ?? keys.REASON ?? 'bootstrap problem') : null,
  };
}

/** A STREAM event (control-spec §4.1.2): which circuit a stream went on, and the SOCKS username that chose it. */
export interface StreamEvent {
  streamId: string;
  status: string;
  circuitId: string;
  target: string;
  socksUsername: string | null;
}

export function parseStreamEvent(body: string): StreamEvent | null {
  const { words, keys } = parseKeywords(body);
  const [streamId, status, circuitId, target] = words;
  if (!streamId || !status || circuitId === undefined || !target) return null;
  return { streamId, status, circuitId, target, socksUsername: keys.SOCKS_USERNAME ?? null };
}
