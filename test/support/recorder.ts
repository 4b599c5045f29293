/**
 * A recording HTTP front for a real server (the UC or the mint), on loopback: every request is recorded as it
 * arrived (raw header names and order, body, TCP connection, time) with the answer it got, then forwarded. A
 * `respond` hook makes it misbehave on purpose (a 5xx, garbage, a cut-short answer, a changed receipt), before or
 * after forwarding. Used by the failure-state tests and the privacy audit.
 */
import { type IncomingMessage, type Server, createServer, request } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Exchange {
  /** When the request arrived (ms since the epoch). */
  at: number;
  /** The TCP connection it came on (1, 2, …, in order of arrival) and that connection's source port. */
  connection: number;
  remotePort: number;
  method: string;
  url: string;
  /** Header names and values exactly as received, in order. */
  rawHeaders: string[];
  body: string;
  status: number;
  answer: string;
}

export interface Answer {
  status: number;
  body: string;
  /** Announce the whole body but send only its first half, then close the connection. */
  cut?: boolean;
}

export type Respond = (req: { method: string; url: string; body: string }, forward: () => Promise<Answer>) => Promise<Answer> | Answer;

export interface Recorder {
  url: string;
  readonly exchanges: readonly Exchange[];
  /** Replaces how requests are answered (undefined: forward as they are). */
  respond: Respond | undefined;
  close(): Promise<void>;
}

const read = (s: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c)).once('end', () => resolve(Buffer.concat(chunks).toString('utf8'))).once('error', reject);
  });

/** Starts a recording front for `target` (an http:// base URL) on 127.0.0.1. */
export async function startRecorder(target: string, respond?: Respond): Promise<Recorder> {
  const to = new URL(target);
  const exchanges: Exchange[] = [];
  const sockets = new Map<Socket, number>();
  const forward = (req: IncomingMessage, body: string) => (): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: to.host };
      const up = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers }, (res) =>
        void read(res).then((b) => resolve({ status: res.statusCode ?? 0, body: b }), reject));
      up.once('error', reject);
      up.end(body);
    });

  const server: Server = createServer((req, res) => {
    const at = Date.now();
    void read(req).then(async (body) => {
      const fwd = forward(req, body);
      let a: Answer;
      try {
        a = recorder.respond ? await recorder.respond({ method: req.method ?? '', url: req.url ?? '', body }, fwd) : await fwd();
      } catch {
        a = { status: 502, body: '' };
      }
      exchanges.push({
        at, connection: sockets.get(req.socket) ?? 0, remotePort: req.socket.remotePort ?? 0, method: req.method ?? '', url: req.url ?? '',
        rawHeaders: [...req.rawHeaders], body, status: a.status, answer: a.body,
      });
      const bytes = Buffer.from(a.body);
      res.writeHead(a.status, { 'content-type': 'application/json', 'content-length': String(bytes.length) });
      if (a.cut) {
        res.write(bytes.subarray(0, bytes.length >> 1));
        setImmediate(() => req.socket.destroy());
      } else res.end(bytes);
    });
  });
  server.on('connection', (s) => sockets.set(s, sockets.size + 1));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const recorder: Recorder = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exchanges,
    respond,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
  return recorder;
}
