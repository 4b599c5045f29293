/** Small building blocks shared by the screens. */
import type { ComponentChildren } from 'preact';
import { explain } from '../state/format.js';
import type { CallError } from './context.js';

export function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div class="card stat">
      <dl>
        <dt>{label}</dt>
        <dd>{value}</dd>
      </dl>
      {hint !== undefined && <p class="muted">{hint}</p>}
    </div>
  );
}

export function Card({ title, children, labelId }: { title: string; children: ComponentChildren; labelId?: string }) {
  const id = labelId ?? `card-${title.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-')}`; // any language's letters
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** A problem in plain words with what to do; `role="alert"` so screen readers hear it once. */
export function Advice({ code, detail, tone = 'bad' }: { code: Parameters<typeof explain>[0]; detail?: string; tone?: 'bad' | 'warn' }) {
  const a = explain(code);
  return (
    <div class={`note ${tone}`} role="alert">
      <p>
        <strong>{a.problem}</strong> {a.action}
      </p>
      {detail !== undefined && detail !== a.problem && <p>{detail}</p>}
    </div>
  );
}

export function CallFailed({ error }: { error: CallError | null }) {
  return error === null ? null : <Advice code={error.code} detail={error.message} />;
}
