/**
 * The engine's storage guard (issue 6): one engine per data folder, and the disk-full and locked states.
 *
 * A data folder is taken with a lock file (`engine.lock`, created exclusively, holding the pid): a second engine on
 * the same folder is refused at start with 'database-locked'; a lock left by a process that no longer runs is
 * taken over. While the wallet cannot be written, the engine does no network work at all (a payment whose
 * answer cannot be stored is not sent; one already sent keeps its reserved coin for the retry) and probes the
 * file each round, resuming by itself when a write goes through again.
 * @module
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineStatus } from '../api/index.js';
import { EngineError, storageError } from './errors.js';
import { FILE_MODE } from './vault/index.js';
import { type Db, probeWrite } from './wallet/index.js';

export type StorageView = EngineStatus['storage'];

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Takes `dir` for this process; returns the release. Throws 'database-locked' when a live engine holds it. */
export function lockDataFolder(dir: string): () => void {
  const file = join(dir, 'engine.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', FILE_MODE);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw storageError(e) ?? e;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid))
        throw new EngineError('database-locked', `another Sipster Home engine (process ${pid}) is using the data folder ${dir}: close it first`);
      rmSync(file, { force: true }); // left by an engine that died
      continue;
    }
    try { writeSync(fd, `${process.pid}\n`); } finally { closeSync(fd); }
    return () => rmSync(file, { force: true });
  }
  throw new EngineError('database-locked', `the data folder ${dir} is being taken by another engine: try again`);
}

/** The wallet's writability as the status shows it, and the probe that ends a failure state. */
export class StorageGuard {
  private view: StorageView = { state: 'ok', reason: null };

  constructor(private readonly db: Db) {}

  get status(): StorageView {
    return this.view;
  }

  /** Records `e` when it is a storage failure; returns whether it was one. */
  noteError(e: unknown): boolean {
    const s = storageError(e);
    if (!s) return false;
    this.view = { state: s.code === 'disk-full' ? 'disk-full' : 'locked', reason: s.message };
    return true;
  }

  /** Probes the wallet with a write that grows it; records the outcome. */
  probe(): boolean {
    try {
      probeWrite(this.db);
      this.view = { state: 'ok', reason: null };
      return true;
    } catch (e) {
      if (!this.noteError(e)) throw e;
      return false;
    }
  }

  /** True when the wallet takes writes (probing it while it did not): work that writes waits while false. */
  writable(): boolean {
    return this.view.state === 'ok' || this.probe();
  }

  /** Throws the storage error unless a write goes through now: called before money moves at the mint. */
  requireWritable(): void {
    if (!this.probe()) throw new EngineError(this.view.state === 'disk-full' ? 'disk-full' : 'database-locked', this.view.reason ?? '');
  }
}
