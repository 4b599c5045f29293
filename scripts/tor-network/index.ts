/**
 * A private Tor network on loopback for tests, the demo and benchmarks: 3 directory authorities (also non-exit
 * relays), N exits that may only reach 127.0.0.0/8, and a client whose SocksPort isolates by SOCKS credentials.
 * Debian's tor, no internet, every node its own data directory, every wait bounded.
 *
 *   keys (tor-gencert) → authorities + exits → every relay's consensus lists every relay → client → Bootstrapped
 *   100% → one real request through an exit to a loopback server (100% alone does not mean an exit is usable)
 *
 * In-process (tests), every tor dies with this process; `detached` (the CLI) leaves them running until `stop`.
 * @module
 */
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type TorProcess, findTor, startTorProcess } from '../../main/engine/tor/index.js';
import { countingServer } from './evidence.js';
import { makeAuthority } from './keys.js';
import { freePort, freshIdentity, getThroughSocks } from './through-socks.js';
import { FAST_VOTING, type Voting, authorityLines, clientLines, exitLines, networkLines } from './torrc.js';

export { freshIdentity, getThroughSocks, type SocksIdentity } from './through-socks.js';
export { countingRelay, countingServer, watchStreams, watchStreamsIn, type CountingRelay, type CountingServer, type StreamWatch } from './evidence.js';

export interface PrivateTorNetworkOptions {
  /** Working directory; wiped on start. */
  dir: string;
  exits?: number;
  /** Leave the tors running when this process exits (the CLI). */
  detached?: boolean;
  /** Bound on the whole start; default 120 s (it takes 13–30 s). */
  timeoutMs?: number;
  voting?: Voting;
  torPath?: string;
  log?: (line: string) => void;
}

/** What a client needs to use the network; written to `<dir>/network.json`. */
export interface NetworkInfo {
  socksPort: number;
  controlPort: number;
  cookieFile: string;
  /** torrc lines for any further client of this network, e.g. the engine's own tor (add a SocksPort). */
  clientTorrc: string[];
  pids: number[];
  /** Milliseconds from start to each milestone. */
  timings: { keys: number; consensus: number; bootstrapped: number; ready: number };
}

export interface PrivateTorNetwork extends NetworkInfo {
  dir: string;
  /** Stops the client tor only (the relays keep running): for fail-closed checks. */
  stopClient(): Promise<void>;
  /** Stops every tor of the network (SIGTERM, then SIGKILL). */
  stop(): Promise<void>;
}

const AUTHORITIES = 3;

export async function startPrivateTorNetwork(o: PrivateTorNetworkOptions): Promise<PrivateTorNetwork> {
  // A port chosen free can be taken before tor binds it (another network starting beside this one): start over.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(o);
    } catch (e) {
      if (attempt >= 3 || !/Failed to bind/.test(String((e as Error).message))) throw e;
      o.log?.(`a port was taken meanwhile; starting over (attempt ${attempt + 1})`);
    }
  }
}

async function startOnce(o: PrivateTorNetworkOptions): Promise<PrivateTorNetwork> {
  const t0 = Date.now();
  const since = () => Date.now() - t0;
  const deadline = t0 + (o.timeoutMs ?? 120_000);
  const log = o.log ?? (() => {});
  const tor = findTor(o.torPath);
  const exits = o.exits ?? 2;
  rmSync(o.dir, { recursive: true, force: true });
  mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  const empty = join(o.dir, 'empty');
  const resolvConf = join(o.dir, 'resolv.conf');
  writeFileSync(empty, '');
  writeFileSync(resolvConf, 'nameserver 127.0.0.1\n');

  const started: TorProcess[] = [];
  const stop = async () => { await Promise.all(started.map((p) => p.stop())); };
  // Settle every launch before failing, so that none is left running unrecorded.
  const launch = async (nodes: [name: string, torrc: string[]][]) => {
    const results = await Promise.allSettled(nodes.map(([name, torrc]) =>
      startTorProcess({ dataDir: join(o.dir, name), torrc, torPath: tor, detached: o.detached })));
    for (const r of results) if (r.status === 'fulfilled') started.push(r.value);
    for (const r of results) if (r.status === 'rejected') throw r.reason;
    return results.map((r) => (r as PromiseFulfilledResult<TorProcess>).value);
  };
  try {
    const authorities = await Promise.all(Array.from({ length: AUTHORITIES }, async (_, i) =>
      makeAuthority(tor, join(o.dir, `a${i}`), `sipsterA${i}`, await freePort(), await freePort())));
    const keys = since();
    log(`authority keys made in ${keys} ms`);

    const common = networkLines(authorities, empty);
    const exitPorts = await Promise.all(Array.from({ length: exits }, freePort));
    const relays = await launch([
      ...authorities.map((a, i): [string, string[]] => [`a${i}`, [...common, ...authorityLines(a, o.voting ?? FAST_VOTING)]]),
      ...exitPorts.map((port, i): [string, string[]] => [`x${i}`, [...common, ...exitLines(`sipsterX${i}`, port, resolvConf)]]),
    ]);
    // A client started before the relays agree gets 404s and backs off for 5–15 s; an early consensus may lack
    // the exits, and an exit that does not know the middle relay closes streams from it.
    await until(deadline, 'every relay to hold a consensus listing every relay', async () => {
      const counts = await Promise.all(relays.map(async (r) =>
        ((await r.control.getInfo('ns/all'))['ns/all'] ?? '').match(/^r /gm)?.length ?? 0));
      return counts.every((n) => n >= relays.length);
    });
    const consensus = since();
    log(`consensus lists all ${relays.length} relays after ${consensus} ms`);

    const clientTorrc = clientLines(authorities, empty);
    const [client] = await launch([['client', [...clientTorrc, 'SocksPort 127.0.0.1:auto IsolateSOCKSAuth']]]) as [TorProcess];
    await until(deadline, 'the client to bootstrap', async () => (await client.control.bootstrapPhase()).progress === 100);
    const bootstrapped = since();
    const socks = (await client.control.getInfo('net/listeners/socks'))['net/listeners/socks'] ?? '';
    const socksPort = Number(/:(\d+)/.exec(socks)?.[1]);
    await probe(socksPort, deadline);
    const ready = since();
    log(`client bootstrapped after ${bootstrapped} ms; a request went through an exit after ${ready} ms`);

    for (const p of started) p.control.close();
    const info: NetworkInfo = {
      socksPort, controlPort: client.controlPort, cookieFile: join(client.dataDir, 'control_auth_cookie'),
      clientTorrc, pids: started.map((p) => p.pid), timings: { keys, consensus, bootstrapped, ready },
    };
    writeFileSync(join(o.dir, 'network.json'), JSON.stringify(info, null, 2));
    return { ...info, dir: o.dir, stop, stopClient: client.stop };
  } catch (e) {
    const notice = (name: string) => readTail(join(o.dir, name, 'notice.log'));
    await stop();
    throw new Error(`the private Tor network did not start: ${(e as Error).message}\nclient: ${notice('client')}\nexit: ${notice('x0')}`, { cause: e });
  }
}

/** Stops a network started by another process (the CLI's `stop`): only PIDs that are still a `tor`. */
export async function stopPrivateTorNetwork(dir: string): Promise<number> {
  let info: NetworkInfo;
  try { info = JSON.parse(readFileSync(join(dir, 'network.json'), 'utf8')) as NetworkInfo; } catch { return 0; }
  const isTor = (pid: number) => {
    try { return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'tor' && !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
  };
  const alive = info.pids.filter(isTor);
  for (const pid of alive) process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 50 && alive.some(isTor); i++) await sleep(100);
  for (const pid of alive.filter(isTor)) process.kill(pid, 'SIGKILL');
  rmSync(join(dir, 'network.json'));
  return alive.length;
}

async function until(deadline: number, what: string, ok: () => Promise<boolean>): Promise<void> {
  while (!(await ok().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** One request through the client and an exit to a loopback server that listens before we ask (pitfall 5). */
async function probe(socksPort: number, deadline: number): Promise<void> {
  const server = await countingServer();
  try {
    await until(deadline, 'a request through an exit', async () =>
      (await getThroughSocks(socksPort, server.url, freshIdentity(), 10_000)).status === 200);
  } finally {
    await server.close();
  }
}

function readTail(file: string): string {
  try { return readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' | '); } catch { return '(no log)'; }
}
