/**
 * A PostgreSQL that survives the loss of its primary, for the failover test and for trying a deployment on one
 * computer: the standard Patroni layout, every part from Debian, all on loopback.
 * - etcd (Debian etcd-server): the store Patroni keeps its leader lock in;
 * - two Patroni nodes (Debian patroni), each running one PostgreSQL: Patroni bootstraps the first, clones the second
 *   with pg_basebackup, keeps it a synchronous standby (`synchronous_mode`), and promotes it when the leader lock
 *   expires (`ttl`);
 * - HAProxy (Debian haproxy) in front, sending connections only to the node whose Patroni REST API answers 200 on
 *   `/primary`, and closing the sessions of a node marked down.
 * The UC connects to HAProxy's port and knows nothing of the rest. Run directly (`tsx scripts/pg-ha.ts`) it starts
 * one and prints its URL until Ctrl-C.
 * @module
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './pg.js';
import { findPgBin, MissingToolError, onPath } from './system-tools.js';

const run = promisify(execFile);

/** Patroni's timing: the leader lock lives `ttl` s; a standby takes over within about ttl + loop_wait after a loss. */
export const PATRONI_TIMING = { ttl: 10, loop_wait: 1, retry_timeout: 4 } as const;

export interface HaNode { name: string; pgPort: number; restPort: number; dataDir: string }

export interface PostgresHa {
  /** HAProxy's address: always the current primary. */
  url: string;
  nodes: HaNode[];
  /** The node Patroni names leader now, from its REST API (null while there is none). */
  leader(): Promise<HaNode | null>;
  /** Waits until a leader other than `not` holds the lock and accepts writes through HAProxy. */
  waitForLeader(opts?: { not?: HaNode; timeoutMs?: number }): Promise<HaNode>;
  /** The loss of a machine: SIGKILL to the node's Patroni and its PostgreSQL postmaster at once. */
  kill(node: HaNode): void;
  stop(): Promise<void>;
}

function need(cmd: string, pkg: string): string {
  const found = onPath(cmd);
  if (!found) throw new MissingToolError(pkg, `${cmd} not found on PATH: install the Debian package ${pkg}`);
  return found;
}

interface Proc { child: ChildProcess; log: () => string }

function start(cmd: string, args: string[]): Proc {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (d: Buffer) => { log = (log + d.toString()).slice(-8000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, log: () => log };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function restStatus(node: HaNode, path: string): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${node.restPort}${path}`, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

function patroniConfig(dir: string, node: HaNode, etcdPort: number, pgBin: string): string {
  // JSON is YAML: no YAML writer needed.
  return JSON.stringify({
    scope: 'sipster-uc',
    name: node.name,
    restapi: { listen: `127.0.0.1:${node.restPort}`, connect_address: `127.0.0.1:${node.restPort}` },
    etcd3: { hosts: [`127.0.0.1:${etcdPort}`] },
    bootstrap: {
      dcs: {
        ...PATRONI_TIMING,
        maximum_lag_on_failover: 1048576,
        // A commit is acknowledged only once the standby has it: a failover loses no acknowledged payment.
        synchronous_mode: true,
        postgresql: {
          use_pg_rewind: false,
          parameters: { max_connections: 200, wal_level: 'replica', hot_standby: 'on', max_wal_senders: 5, max_replication_slots: 5 },
        },
      },
      initdb: [{ encoding: 'UTF8' }, 'no-sync'],
      pg_hba: ['host replication replicator 127.0.0.1/32 trust', 'host all all 127.0.0.1/32 trust', 'local all all trust'],
    },
    postgresql: {
      listen: `127.0.0.1:${node.pgPort}`,
      connect_address: `127.0.0.1:${node.pgPort}`,
      data_dir: node.dataDir,
      bin_dir: pgBin,
      pgpass: join(dir, `${node.name}.pgpass`),
      authentication: { replication: { username: 'replicator', password: 'replicator' }, superuser: { username: 'postgres', password: 'postgres' } },
      parameters: { unix_socket_directories: dir, shared_buffers: '64MB' },
    },
    tags: { nofailover: false, noloadbalance: false, clonefrom: false, nosync: false },
  });
}

function haproxyConfig(port: number, nodes: HaNode[]): string {
  return [
    'global', '  maxconn 1000',
    'defaults', '  mode tcp', '  timeout connect 2s', '  timeout client 30m', '  timeout server 30m', '  timeout check 1s',
    'listen primary', `  bind 127.0.0.1:${port}`,
    '  option httpchk', '  http-check send meth GET uri /primary', '  http-check expect status 200',
    '  default-server inter 500ms fall 2 rise 1 on-marked-down shutdown-sessions',
    ...nodes.map((n) => `  server ${n.name} 127.0.0.1:${n.pgPort} check port ${n.restPort}`),
    '',
  ].join('\n');
}

export async function startPostgresHa(): Promise<PostgresHa> {
  const patroni = need('patroni', 'patroni');
  const etcd = need('etcd', 'etcd-server');
  const haproxy = need('haproxy', 'haproxy');
  const pgBin = findPgBin();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'sipster-pg-ha-'));
  const owner = asRoot ? [Number((await run('id', ['-u', 'postgres'])).stdout), Number((await run('id', ['-g', 'postgres'])).stdout)] : undefined;
  const asPostgres = (cmd: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);
  if (owner) chownSync(dir, owner[0]!, owner[1]!); // the postgres user reads its config and data below it

  const procs: Proc[] = [];
  const pgDir = join(dir, 'pg');
  const stopAll = async () => {
    for (const p of procs) p.child.kill('SIGTERM');
    await run('pkill', ['-TERM', '-f', pgDir]).catch(() => undefined);
    await sleep(2000);
    await run('pkill', ['-KILL', '-f', pgDir]).catch(() => undefined);
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    return await startParts();
  } catch (err) {
    await stopAll();
    throw err;
  }

  async function startParts(): Promise<PostgresHa> {
  const etcdPort = await freePort();
  const etcdPeer = await freePort();
  procs.push(start(etcd, [
    '--name', 'e1', '--data-dir', join(dir, 'etcd'),
    '--listen-client-urls', `http://127.0.0.1:${etcdPort}`, '--advertise-client-urls', `http://127.0.0.1:${etcdPort}`,
    '--listen-peer-urls', `http://127.0.0.1:${etcdPeer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${etcdPeer}`,
    '--initial-cluster', `e1=http://127.0.0.1:${etcdPeer}`,
  ]));

  const nodes: HaNode[] = [];
  for (const name of ['pg1', 'pg2']) nodes.push({ name, pgPort: await freePort(), restPort: await freePort(), dataDir: join(dir, name) });
  mkdirSync(pgDir, { mode: 0o700 });
  if (owner) chownSync(pgDir, owner[0]!, owner[1]!);
  const patroniProcs = new Map<string, Proc>();
  for (const node of nodes) {
    node.dataDir = join(pgDir, node.name);
    const cfg = join(pgDir, `${node.name}.yml`);
    writeFileSync(cfg, patroniConfig(pgDir, node, etcdPort, pgBin), { mode: 0o600 });
    if (owner) chownSync(cfg, owner[0]!, owner[1]!);
    const p = start(...asPostgres(patroni, [cfg]));
    procs.push(p);
    patroniProcs.set(node.name, p);
    // The first node bootstraps alone, so that it is the leader the second one clones.
    if (node === nodes[0]) await waitFor(async () => (await restStatus(node, '/primary')) === 200, 60_000, () => `pg1 did not become primary:\n${p.log()}`);
  }
  const haPort = await freePort();
  const haCfg = join(dir, 'haproxy.cfg');
  writeFileSync(haCfg, haproxyConfig(haPort, nodes), { mode: 0o600 });
  procs.push(start(haproxy, ['-db', '-f', haCfg]));
  // Ready when the second node streams synchronously: only then is an acknowledged commit on both.
  await waitFor(async () => (await restStatus(nodes[1]!, '/sync')) === 200, 90_000,
    () => `pg2 did not become a synchronous standby:\n${patroniProcs.get('pg2')!.log()}`);

  const url = `postgres://postgres:postgres@127.0.0.1:${haPort}/postgres`;
  const leader = async () => {
    for (const n of nodes) if ((await restStatus(n, '/primary')) === 200) return n;
    return null;
  };
  let stopped: Promise<void> | undefined;
  return {
    url,
    nodes,
    leader,
    waitForLeader: async ({ not, timeoutMs = 60_000 } = {}) => {
      let found: HaNode | null = null;
      await waitFor(async () => {
        found = await leader();
        return found !== null && found !== not;
      }, timeoutMs, () => `no new leader within ${timeoutMs} ms:\n${[...patroniProcs.values()].map((p) => p.log()).join('\n')}`);
      return found!;
    },
    kill: (node) => {
      const postmaster = Number(readFileSync(join(node.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const p = patroniProcs.get(node.name)!;
      // runuser's child is Patroni: kill the whole group runuser started, then the postmaster (its own session).
      for (const pid of [postmaster, p.child.pid!]) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      void run('pkill', ['-KILL', '-f', join(pgDir, `${node.name}.yml`)]).catch(() => undefined);
    },
    stop: () => (stopped ??= stopAll()),
  };
  }
}

async function waitFor(ok: () => Promise<boolean>, timeoutMs: number, why: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(why());
    await sleep(200);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const ha = await startPostgresHa();
  console.log(ha.url);
  process.once('SIGINT', () => void ha.stop().then(() => process.exit(0)));
}
