/**
 * Run with `TZ=<zone>` (history/zones.test.ts): stores one telegram every quarter-hour from `from` to `to` (ISO), the
 * import register 1 Wh higher each time, and prints the history's buckets of every size as JSON, as the engine would
 * answer them in that zone. With a third time (ISO, a whole hour), the history is as one older than migration 0030
 * whose 5-minute buckets before that time were gone: no quarter-hours before it, and meta says so.
 */
import { History, openHistoryDb } from '../../main/engine/history/index.js';
import { householdReadings } from './household-readings.js';

const [from, to, quartersFrom] = process.argv.slice(2).map((iso) => Date.parse(iso!) / 1000);
const history = new History(openHistoryDb(':memory:'));
for (let t = from!, wh = 0; t < to!; t += 900, wh++) history.add(householdReadings(t, { import: [wh, 0] }), '2000-01-01T00:00:00Z');
if (quartersFrom !== undefined) {
  history.flush();
  history.db.prepare('DELETE FROM agg_15min WHERE start < ?').run(quartersFrom);
  history.db.prepare("INSERT INTO meta (key, value) VALUES ('quarter-hours-from', ?)").run(String(quartersFrom));
}
const buckets = Object.fromEntries((['hour', 'day', 'week', 'month', 'year'] as const).map((bucket) =>
  [bucket, history.buckets({ bucket }, []).map((b) => ({ start: b.start, wh: Math.round(b.importKwh * 1000) }))]));
history.close();
process.stdout.write(JSON.stringify(buckets));
