/** The tray icon: the engine's state in a word, Open and Quit. */
import type { EngineStatus } from '../api/index.js';

/** One line for the tray's tooltip: the most urgent problem first, else "all fine". */
export function trayStatus(s: EngineStatus): string {
  if (s.utility.state === 'key-changed') return "Sipster Home: the utility's key changed, payments stopped";
  if (s.utility.state === 'mint-changed') return 'Sipster Home: the utility names another mint, payments stopped';
  if (s.meter.state === 'disconnected') return 'Sipster Home: meter disconnected';
  if (s.proxy.state !== 'working') return 'Sipster Home: Tor not ready, payments wait';
  if (s.queue.blockedBy === 'wallet-empty') return 'Sipster Home: wallet empty, top up';
  if (s.queue.alarms > 0) return `Sipster Home: ${s.queue.alarms} payments held`;
  return 'Sipster Home: all fine';
}
