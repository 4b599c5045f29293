/**
 * The anonymity set's size (issue 14 §2): how many households each payment hides among, as the utility publishes it,
 * and a warning when it is small enough for the utility to link payments to few households.
 */
import type { UtilityView } from '../../main/api/index.js';

const households = (size: number | null) => (size === null ? 'size not published' : `${size.toLocaleString()} household${size === 1 ? '' : 's'}`);

export function anonymitySetText(sets: UtilityView['anonymitySets']): string {
  return sets.length === 0 ? 'not known yet' : sets.map((s) => `set ${s.set}: ${households(s.size)}`).join(', ');
}

export function SmallSetWarning({ sets }: { sets: UtilityView['anonymitySets'] }) {
  const small = sets.filter((s) => s.small);
  if (small.length === 0) return null;
  return (
    <p class="note warn" role="alert">
      <strong>Your payments hide among few households</strong> ({anonymitySetText(small)}): the
      utility can tell more easily which payments are yours. Ask your utility to register more meters in the set.
    </p>
  );
}
