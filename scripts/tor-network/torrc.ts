/**
 * torrc lines for the private Tor network: tor's own test-network options (TestingTorNetwork and the fast-bootstrap
 * set), everything on 127.0.0.1, no public authority or fallback ever contacted.
 * @module
 */

/** One directory authority as the other nodes' DirAuthority lines name it. */
export interface Authority {
  nickname: string;
  orPort: number;
  dirPort: number;
  /** v3 identity (tor-gencert's authority certificate). */
  v3ident: string;
  /** Relay identity fingerprint. */
  fingerprint: string;
}

/** Voting schedule in seconds; with TestingTorNetwork tor's minimums are 10/5/2/2, and vote + dist < interval/2. */
export interface Voting {
  interval: number;
  initialInterval: number;
  voteDelay: number;
  distDelay: number;
}

export const FAST_VOTING: Voting = { interval: 10, initialInterval: 5, voteDelay: 2, distDelay: 2 };

export const dirAuthorityLine = (a: Authority) =>
  `DirAuthority ${a.nickname} orport=${a.orPort} no-v2 v3ident=${a.v3ident} 127.0.0.1:${a.dirPort} ${a.fingerprint}`;

/** What every node of the network, clients included, needs. `emptyFile`: an empty file (GeoIP parsing skipped). */
export function networkLines(authorities: readonly Authority[], emptyFile: string): string[] {
  return [
    'TestingTorNetwork 1',
    ...authorities.map(dirAuthorityLine),
    'UseDefaultFallbackDirs 0',
    // A guard rail: tor binds this only for non-loopback destinations, which the kernel then refuses.
    'OutboundBindAddress 127.0.0.1',
    'ClientUseIPv6 0',
    'PathsNeededToBuildCircuits 0.67',
    `GeoIPFile ${emptyFile}`,
    `GeoIPv6File ${emptyFile}`,
  ];
}

/** A client of the network (the launcher's, or the engine's own tor pointed at it); SocksPort is the caller's. */
export function clientLines(authorities: readonly Authority[], emptyFile: string): string[] {
  return [
    ...networkLines(authorities, emptyFile),
    // Microdescriptor policy summaries cannot say "127.0.0.0/8" (tor #11264): with them no exit seems usable.
    'UseMicrodescriptors 0',
    // The exits have no DNS: names must be mapped to an address on this side.
    'MapAddress localhost 127.0.0.1',
  ];
}

function relayLines(nickname: string, orPort: number): string[] {
  return [
    `Nickname ${nickname}`, 'SocksPort 0', `ORPort 127.0.0.1:${orPort}`, 'Address 127.0.0.1',
    'AssumeReachable 1', 'ShutdownWaitLength 0', 'Sandbox 0',
  ];
}

/** Throws RangeError unless tor will accept the schedule (its TestingTorNetwork minimums and ordering rules). */
export function assertVoting(v: Voting): Voting {
  if (v.interval < 10 || v.initialInterval < 5 || v.voteDelay < 2 || v.distDelay < 2) throw new RangeError('"voting" is below tor\'s minimums 10/5/2/2');
  if (v.voteDelay + v.distDelay >= v.interval / 2) throw new RangeError('"voting": vote + dist delay must be < interval / 2');
  if (v.voteDelay + v.distDelay >= v.initialInterval) throw new RangeError('"voting": vote + dist delay must be < the initial interval');
  if (1800 % v.interval !== 0 || 1800 % v.initialInterval !== 0) throw new RangeError('"voting": intervals must divide 30 min');
  return v;
}

export function authorityLines(a: Authority, voting: Voting): string[] {
  assertVoting(voting);
  return [
    ...relayLines(a.nickname, a.orPort),
    `DirPort 127.0.0.1:${a.dirPort}`,
    'AuthoritativeDirectory 1',
    'V3AuthoritativeDirectory 1',
    'ExitRelay 0',
    'ExitPolicy reject *:*',
    // Every relay gets Exit/Guard/HSDir votes at once; clients still check the real exit policies.
    'TestingDirAuthVoteExit *',
    'TestingDirAuthVoteGuard *',
    'TestingDirAuthVoteHSDir *',
    'TestingMinExitFlagThreshold 0',
    'V3AuthNIntervalsValid 2',
    `TestingV3AuthInitialVotingInterval ${voting.initialInterval}`,
    `TestingV3AuthInitialVoteDelay ${voting.voteDelay}`,
    `TestingV3AuthInitialDistDelay ${voting.distDelay}`,
    `V3AuthVotingInterval ${voting.interval}`,
    `V3AuthVoteDelay ${voting.voteDelay}`,
    `V3AuthDistDelay ${voting.distDelay}`,
  ];
}

/** An exit that may reach 127.0.0.0/8 only, with a loopback resolver (no DNS leaves the machine). */
export function exitLines(nickname: string, orPort: number, resolvConf: string): string[] {
  return [
    ...relayLines(nickname, orPort),
    'ExitRelay 1',
    'ExitPolicyRejectPrivate 0',
    'ExitPolicyRejectLocalInterfaces 0',
    'ExitPolicy accept 127.0.0.0/8:*',
    'ExitPolicy reject *:*',
    `ServerDNSResolvConfFile ${resolvConf}`,
    'ServerDNSDetectHijacking 0',
    'ServerDNSTestAddresses',
  ];
}
