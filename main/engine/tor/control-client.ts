/**
 * A small Tor ControlPort client (control-spec.txt): authenticate (SAFECOOKIE, password or none), GETINFO, SETEVENTS,
 * and asynchronous events. Commands are answered in order, so one FIFO of waiters is the whole state.
 * The only published npm client (tor-control 0.0.3) is unmaintained; this is the part of the protocol we use.
 * @module
 */
import { type Socket, connect } from 'node:net';
import {
  type BootstrapPhase, type ControlEvent, type ControlReply, ReplyFramer, parseBootstrap, parseGetInfo, parseKeywords, toEvent,
} from './control-protocol.js';
import { TorError } from './errors.js';
import { answerChallenge, clientNonce, readCookie } from './safe-cookie.js';

/** How to authenticate: `auto` asks tor (PROTOCOLINFO) and uses no auth or the cookie file it names. */
export type ControlAuth = { kind: 'auto' } | { kind: 'cookie'; cookieFile: string } | { kind: 'password'; password: string };

interface Waiter {
  resolve: (r: ControlReply) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

const COMMAND_TIMEOUT_MS = 10_000;

export class TorControl {
  private readonly framer = new ReplyFramer();
  private readonly waiters: Waiter[] = [];
  private readonly listeners = new Set<(e: ControlEvent) => void>();
  private failure: Error | null = null;
  /** Resolves when the connection is gone, for whatever reason. */
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', (e) => this.fail(new TorError('control-closed', 'the control connection failed', { cause: e })));
    this.closed = new Promise((resolve) => socket.once('close', () => {
      this.fail(new TorError('control-closed', 'the control connection closed'));
      resolve();
    }));
  }

  /** Opens a control connection to `host:port` (loopback), bounded by `timeoutMs`. */
  static connect(port: number, host = '127.0.0.1', timeoutMs = COMMAND_TIMEOUT_MS): Promise<TorControl> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => socket.destroy(new Error('connect timed out')), timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new TorControl(socket));
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(new TorError('control-closed', `no control port at ${host}:${port}`, { cause: e }));
      });
    });
  }

  /**
   * A cookie is used only through SAFECOOKIE (safe-cookie.ts): tor proves it knows the cookie before the engine
   * answers, and the cookie itself never crosses the connection; a file that is not 32 bytes is refused unread.
   */
  async authenticate(auth: ControlAuth = { kind: 'auto' }): Promise<void> {
    if (auth.kind === 'password') return void (await this.command(`AUTHENTICATE ${quote(auth.password)}`));
    if (auth.kind === 'cookie') return this.safeCookie(auth.cookieFile);
    const info = await this.command('PROTOCOLINFO 1');
    const line = info.lines.find((l) => l.startsWith('AUTH '));
    const { keys } = parseKeywords(line ?? '');
    const methods = (keys.METHODS ?? '').split(',');
    if (methods.includes('NULL')) return void (await this.command('AUTHENTICATE'));
    if (methods.includes('SAFECOOKIE') && keys.COOKIEFILE) return this.safeCookie(keys.COOKIEFILE);
    throw new TorError('control-refused', `the control port wants ${keys.METHODS ?? 'an unknown method'}; give a cookie file (SAFECOOKIE) or password`);
  }

  private async safeCookie(cookieFile: string): Promise<void> {
    const cookie = await readCookie(cookieFile);
    const nonce = clientNonce();
    const challenge = await this.command(`AUTHCHALLENGE SAFECOOKIE ${nonce.toString('hex')}`);
    const { keys } = parseKeywords((challenge.lines[0] ?? '').replace(/^AUTHCHALLENGE /, ''));
    await this.command(`AUTHENTICATE ${answerChallenge(cookie, nonce, keys)}`);
  }

  /** Sends one command line; resolves with a 2xx reply, rejects on any other code or a lost connection. */
  command(line: string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<ControlReply> {
    if (/[\r\n]/.test(line)) throw new RangeError('"line" must be one line');
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const verb = line.split(' ', 1)[0];
      const timer = setTimeout(() => {
        // Replies come in order: with one missing, the stream cannot be trusted any more.
        this.socket.destroy();
        reject(new TorError('timeout', `no answer to ${verb} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push({
        timer,
        resolve: (r) => r.code >= 200 && r.code < 300 ? resolve(r)
          : reject(new TorError('control-refused', `${verb} refused: ${r.code} ${r.lines.join(' ')}`)),
        reject,
      });
      this.socket.write(`${line}\r\n`);
    });
  }

  async getInfo(...keys: string[]): Promise<Record<string, string>> {
    return parseGetInfo(await this.command(`GETINFO ${keys.join(' ')}`));
  }

  /** Where tor stands in its bootstrap, now. */
  async bootstrapPhase(): Promise<BootstrapPhase> {
    const text = (await this.getInfo('status/bootstrap-phase'))['status/bootstrap-phase'] ?? '';
    const phase = parseBootstrap(text);
    if (!phase) throw new TorError('control-refused', 'tor gave no bootstrap phase');
    return phase;
  }

  /** Subscribes to exactly these event kinds (SETEVENTS replaces the previous set). */
  async setEvents(names: readonly string[]): Promise<void> {
    await this.command(`SETEVENTS ${names.join(' ')}`.trimEnd());
  }

  onEvent(listener: (e: ControlEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: string): void {
    let replies: ControlReply[];
    try {
      replies = this.framer.push(chunk);
    } catch (e) {
      this.socket.destroy();
      return this.fail(new TorError('control-closed', 'tor sent something that is not the control protocol', { cause: e }));
    }
    for (const reply of replies) {
      const event = toEvent(reply);
      if (event) for (const l of this.listeners) l(event);
      else {
        const w = this.waiters.shift();
        if (w) { clearTimeout(w.timer); w.resolve(reply); }
      }
    }
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiters.splice(0)) { clearTimeout(w.timer); w.reject(e); }
  }
}

const quote = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
