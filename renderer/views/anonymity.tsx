/**
 * The anonymity set's size (issue 14 §2): how many households each payment hides among, as the utility publishes it,
 * and a warning when it is small enough for the utility to link payments to few households.
 */
import type { UtilityView } from '../../main/api/index.js';
import { rich, t } from '../i18n/index.js';

const households = (size: number | null) => (size === null ? t('anonymity.notPublished') : t('anonymity.households', { count: size }));

export function anonymitySetText(sets: UtilityView['anonymitySets']): string {
  return sets.length === 0 ? t('anonymity.notKnown') : sets.map((s) => t('anonymity.set', { set: s.set, size: households(s.size) })).join(', ');
}

export function SmallSetWarning({ sets }: { sets: UtilityView['anonymitySets'] }) {
  const small = sets.filter((s) => s.small);
  if (small.length === 0) return null;
  return (
    <p class="note warn" role="alert">
      {rich('anonymity.warning', { strong: (c) => <strong>{c}</strong> }, { sets: anonymitySetText(small) })}
    </p>
  );
}
