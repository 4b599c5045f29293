/**
 * The keys of an encrypted meter (Luxembourg's Smarty, the Austrian and Polish DLMS push meters), entered with
 * its port. They go to the engine, which keeps them with the other secrets and never shows them back, so the
 * fields start empty each time.
 */
import type { MeterEncryption } from '../../main/api/index.js';
import { t } from '../i18n/index.js';

const FRAMINGS: MeterEncryption['framing'][] = ['raw', 'mbus', 'hdlc'];

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
      <label for="meter-encrypted" class="inline">{t('meter.keys.encrypts')}</label>
      {value !== null && (
        <div>
          <label for="meter-framing">{t('meter.keys.kind')}</label>
          <select id="meter-framing" value={value.framing} onChange={(e) => set({ framing: e.currentTarget.value as MeterEncryption['framing'] })}>
            {FRAMINGS.map((f) => <option key={f} value={f}>{t(`meter.keys.${f}`)}</option>)}
          </select>
          <label for="meter-key">{t('meter.keys.key')}</label>
          <input id="meter-key" type="password" autoComplete="off" spellcheck={false} value={value.key} onInput={(e) => set({ key: e.currentTarget.value.trim() })} />
          <label for="meter-auth-key">{t('meter.keys.authKey')}</label>
          <input id="meter-auth-key" type="password" autoComplete="off" spellcheck={false} value={value.authKey ?? ''} onInput={(e) => set({ authKey: e.currentTarget.value.trim() })} />
        </div>
      )}
    </div>
  );
}
