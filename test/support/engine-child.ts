/**
 * The engine's process (main/electron/engine-process.ts, or its bundle dist/electron/engine.mjs) as a Node child:
 * Electron's utilityProcess cannot run here (no Electron binary), so child_process.fork with an IPC channel and
 * structured-clone serialization stands in for it; the entry serves either the same way.
 * @module
 */
import { fork } from 'node:child_process';
import type { EngineChild } from '../../main/electron/engine-supervisor.js';

/** A `spawn` for superviseEngine; each child is also pushed to `spawned` so a test can kill it. */
export function forkEngineChild(entry: string, spawned: EngineChild[], execArgv: string[] = []): () => EngineChild {
  return () => {
    const child = fork(entry, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('error', () => {}); // a send racing the child's death; its exit is what counts
    const c: EngineChild = {
      port: {
        send: (m) => void (child.connected && child.send(m)),
        listen(handler) {
          child.on('message', handler);
          return () => void child.off('message', handler);
        },
      },
      onExit: (listener) => void child.once('exit', listener),
      kill: () => void child.kill('SIGKILL'),
    };
    spawned.push(c);
    return c;
  };
}
