/** The always-visible status line (state/status.ts), and the engine connection when it is lost. */
import { pills } from '../state/status.js';
import { useApp } from './context.js';

export function StatusPills() {
  const { state } = useApp();
  if (state.status === null) return null;
  return (
    <ul class="pills" aria-label="Status">
      {pills(state.status).map((p) => (
        <li key={p.label} class={`pill ${p.tone}`}>
          {p.label}
        </li>
      ))}
      {state.connection === 'lost' && <li class="pill bad">Engine: connection lost</li>}
    </ul>
  );
}
