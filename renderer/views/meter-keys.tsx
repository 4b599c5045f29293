/**
 * The keys of an encrypted meter (Luxembourg's Smarty, the Austrian and Polish DLMS push meters), entered with
 * its port. They go to the engine, which keeps them with the other secrets and never shows them back, so the
 * fields start empty each time.
 */
import type { MeterEncryption } from '../../main/api/index.js';

const FRAMINGS: { value: MeterEncryption['framing']; label: string }[] = [
  { value: 'raw', label: 'Luxembourg Smarty or Sagemcom T210-D-r (P1 port, 115200 baud)' },
  { value: 'mbus', label: 'Kaifa over M-Bus, e.g. Netz NÖ or TINETZ (2400 baud)' },
  { value: 'hdlc', label: 'Landis+Gyr E450 (HDLC, 115200 baud)' },
];

/** `value` null: the meter does not encrypt. An empty authentication key means Luxembourg's published one. */
export function MeterKeysFields({ value, onChange }: { value: MeterEncryption | null; onChange: (v: MeterEncryption | null) => void }) {
  const set = (patch: Partial<MeterEncryption>) => {
    const next = { ...(value ?? { framing: 'raw', key: '' }), ...patch };
    if (next.authKey === '') delete next.authKey;
    onChange(next);
  };
  return (
    <div>
      <input type="checkbox" id="meter-encrypted" checked={value !== null} onChange={(e) => onChange(e.currentTarget.checked ? { framing: 'raw', key: '' } : null)} />{' '}
      <label for="meter-encrypted" class="inline">My meter encrypts its data (a key from the grid operator)</label>
      {value !== null && (
        <div>
          <label for="meter-framing">Kind of encrypted meter</label>
          <select id="meter-framing" value={value.framing} onChange={(e) => set({ framing: e.currentTarget.value as MeterEncryption['framing'] })}>
            {FRAMINGS.map((f) => <option key={f.value} value={f.value}>{f.label}</option>)}
          </select>
          <label for="meter-key">Encryption key (GUEK, 32 hex digits)</label>
          <input id="meter-key" type="password" autoComplete="off" spellcheck={false} value={value.key} onInput={(e) => set({ key: e.currentTarget.value.trim() })} />
          <label for="meter-auth-key">Authentication key (GAK; leave empty for Luxembourg's published key)</label>
          <input id="meter-auth-key" type="password" autoComplete="off" spellcheck={false} value={value.authKey ?? ''} onInput={(e) => set({ authKey: e.currentTarget.value.trim() })} />
        </div>
      )}
    </div>
  );
}
