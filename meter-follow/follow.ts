/**
 * A Sipster meter on any DSMR meter (issue 13, follow mode): the bridge reads the real meter (a serial port at its
 * line settings, or tcp:// / homewizard:// on the network), and each telegram it accepts becomes a reading for the
 * meter emulator in follow mode, which prices the registers' increase and emits tokens and bills on its own port.
 * This room exists because the emulator is output only and may not read (it may not import bridge/), and the bridge
 * does not make tokens: follow mode is the one place that joins them.
 * @module
 */
import { openNetworkLink, openSerialLink, parseNetworkSource, type LineSettings, type SerialLink } from '../bridge/index.js';
import { followedReading, startMeter, type FollowRefusal, type MeterOptions, type RunningMeter } from '../meter-emulator/index.js';

export interface FollowOptions extends Omit<MeterOptions, 'follow' | 'householdSeed' | 'speed'> {
  /** The real meter: a serial device path, `tcp://HOST:PORT` or `homewizard://HOST[:PORT]`. */
  source: string;
  /** The real meter's line settings (serial or raw TCP): 'dsmr4' (default) or 'dsmr22'. */
  line?: LineSettings;
  /** A reading refused (never turned into tokens), for the operator's log. */
  onRefusal?: (refusal: FollowRefusal) => void;
  /** The real meter's link went up or down (connection words only). */
  onSourceStatus?: (status: { connected: boolean; reason?: string }) => void;
  /** Clock of received telegrams that carry no timestamp (tests), ms since the epoch. */
  now?: () => number;
}

export interface FollowMeter {
  readonly meter: RunningMeter;
  readonly source: SerialLink;
  stop(): Promise<void>;
}

const isNetwork = (source: string) => /^(tcp|homewizard|http):\/\//i.test(source);

export async function startFollowMeter(o: FollowOptions): Promise<FollowMeter> {
  const { source: where, line, onRefusal, onSourceStatus, now = Date.now, ...meterOptions } = o;
  const network = isNetwork(where) ? parseNetworkSource(where) : null; // a bad address throws before anything starts
  const meter = await startMeter({ ...meterOptions, follow: true });
  const onTelegram: Parameters<typeof openSerialLink>[0]['onTelegram'] = (result) => {
    if (!result.ok) return; // the bridge counts drops; a damaged telegram is no reading
    const reading = followedReading(result.readings, now());
    const refusal = 'code' in reading ? reading : meter.follow(reading);
    if (refusal) onRefusal?.(refusal);
  };
  const common = { ...(line ? { line } : {}), onTelegram, ...(onSourceStatus ? { onStatus: onSourceStatus } : {}) };
  const source = network ? openNetworkLink({ source: network, ...common }) : openSerialLink({ port: where, ...common });
  return {
    meter,
    source,
    async stop() {
      await source.close();
      await meter.stop();
    },
  };
}
