/**
 * The engine's history buckets for a query, asked again while the screen is open: a meter sends a telegram a second,
 * and the newest bucket grows with each. The numbers are the engine's (exact, stored: there after a restart).
 * @module
 */
import { useEffect, useState } from 'preact/hooks';
import type { HistoryBucketView, HistoryQuery } from '../../main/api/index.js';
import { useApp } from './context.js';

/** How often the buckets are asked again: often enough for a live total, rarely enough to cost nothing. */
export const HISTORY_REFRESH_MS = 10_000;

/** `query`'s buckets, null until the first answer (and again when the query changes); null `query`: none asked. */
export function useHistory(query: HistoryQuery | null): HistoryBucketView[] | null {
  const { api } = useApp();
  const [buckets, setBuckets] = useState<HistoryBucketView[] | null>(null);
  const key = query === null ? null : `${query.bucket} ${query.from ?? ''} ${query.to ?? ''}`;
  useEffect(() => {
    setBuckets(null);
    if (query === null) return;
    let current = true; // an answer to a query no longer shown is dropped
    const ask = () => void api.getHistory(query).then((r) => { if (current && r.ok) setBuckets(r.value); });
    ask();
    const timer = setInterval(ask, HISTORY_REFRESH_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [api, key]);
  return buckets;
}
