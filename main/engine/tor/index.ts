export { TorControl, type ControlAuth } from './control-client.js';
export {
  ReplyFramer, parseBootstrap, parseGetInfo, parseKeywords, parseStreamEvent, toEvent,
  type BootstrapPhase, type ControlEvent, type ControlReply, type Keywords, type StreamEvent,
} from './control-protocol.js';
export { TorError, type TorErrorCode } from './errors.js';
export {
  DEFAULT_BACKOFF, TorSupervisor, backoffDelay, runOwnTor,
  type Backoff, type RunningTor, type SocksEndpoint, type SupervisorDeps, type TorEvent, type TorSource,
} from './supervisor.js';
export { startTorProcess, type TorProcess, type TorProcessOptions } from './tor-process.js';
export { bundledTor, findTor, torCandidates, torEnv, type TorWhere } from './tor-binary.js';
export { ManagedTor, nextTorView, type ManagedTorOptions } from './managed-tor.js';
