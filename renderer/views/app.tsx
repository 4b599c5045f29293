/** The window: loads what the engine knows, folds its events in, and shows one screen at a time. */
import { useEffect, useReducer, useRef, useState } from 'preact/hooks';
import type { EngineStatus, LockView } from '../../main/api/index.js';
import { rich, t, type Language } from '../i18n/index.js';
import { notesFor } from '../state/notify.js';
import { initialState, reduce } from '../state/store.js';
import type { Transport } from '../transport/transport.js';
import { AppContext } from './context.js';
import { applyLanguage } from './language.js';
import { Energy } from './energy.js';
import { Home } from './home.js';
import { Onboarding } from './onboarding.js';
import { Payments } from './payments.js';
import { Settings } from './settings.js';
import { Settlement } from './settlement.js';
import { StatusPills } from './status-pills.js';
import { Unlock } from './unlock.js';
import { Wallet } from './wallet.js';

const SCREENS = [
  { id: 'home', label: 'nav.home', view: Home },
  { id: 'energy', label: 'nav.energy', view: Energy },
  { id: 'wallet', label: 'nav.wallet', view: Wallet },
  { id: 'payments', label: 'nav.payments', view: Payments },
  { id: 'settlement', label: 'nav.settlement', view: Settlement },
  { id: 'settings', label: 'nav.settings', view: Settings },
] as const;
type ScreenId = (typeof SCREENS)[number]['id'];

/** Status is also pushed as events; this slow poll only catches what no event announces (e.g. the meter going quiet). */
const STATUS_POLL_MS = 5000;

function notify(before: EngineStatus | null, e: Parameters<typeof notesFor>[1]): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  for (const n of notesFor(before, e)) new Notification(n.title, { body: n.body, tag: n.tag });
}

export function App({ transport }: { transport: Transport | null }) {
  const [state, dispatch] = useReducer(reduce, initialState);
  const [screen, setScreen] = useState<ScreenId>('home');
  // The language lives in the i18n module; this state only makes the whole window render again when it changes.
  const [, setShown] = useState(0);
  const chooseLanguage = (pick: Language | 'system') => {
    applyLanguage(pick);
    setShown((n) => n + 1);
  };
  // Decided once, from the first status: a wallet not backed up yet walks the whole onboarding.
  const [onboarding, setOnboarding] = useState<boolean | null>(null);
  const statusRef = useRef<EngineStatus | null>(null);
  statusRef.current = state.status;
  const mainRef = useRef<HTMLElement>(null);
  // Set while the host waits for the wallet's passphrase; `unlocked` counts unlocks, to load what was refused before.
  const [lock, setLock] = useState<LockView | null>(null);
  const [unlocked, setUnlocked] = useState(0);

  useEffect(() => {
    if (transport === null) return;
    const { api } = transport;
    const offConn = transport.onConnection((c) => dispatch({ kind: 'connection', state: c }));
    const offEvents = transport.onEvent((event) => {
      notify(statusRef.current, event);
      dispatch({ kind: 'event', event, at: Date.now() });
    });
    const loadStatus = () => api.getStatus().then((r) => {
      if (r.ok) dispatch({ kind: 'loaded-status', status: r.value });
      else if (r.error.code === 'wallet-locked') void api.getLock().then((l) => l.ok && l.value.locked && setLock(l.value));
    });
    void loadStatus();
    const timer = setInterval(loadStatus, STATUS_POLL_MS);
    return () => {
      clearInterval(timer);
      offEvents();
      offConn();
      transport.close();
    };
  }, [transport]);

  useEffect(() => {
    if (transport === null) return;
    const { api } = transport;
    void api.listPeriods().then((r) => r.ok && dispatch({ kind: 'loaded-periods', periods: r.value }));
    void api.getReadings(null).then((r) => r.ok && dispatch({ kind: 'loaded-readings', readings: r.value }));
    void api.getTariff().then((r) => r.ok && dispatch({ kind: 'loaded-tariff', tariff: r.value }));
  }, [transport, unlocked]);

  // Period counts change with nearly every token: refetch at most twice a second.
  useEffect(() => {
    if (!state.periodsStale || transport === null) return;
    const t = setTimeout(() => {
      void transport.api.listPeriods().then((r) => r.ok && dispatch({ kind: 'loaded-periods', periods: r.value }));
    }, 500);
    return () => clearTimeout(t);
  }, [state.periodsStale, transport]);

  useEffect(() => {
    if (state.status !== null && onboarding === null) setOnboarding(!state.status.wallet.backedUp);
  }, [state.status, onboarding]);

  if (transport === null)
    return (
      <main>
        <h1>{t('app.name')}</h1>
        <p>{rich('app.notConnected', { code: (c) => <code>{c}</code> })}</p>
      </main>
    );
  if (lock !== null)
    return (
      <Unlock api={transport.api} lock={lock} onUnlocked={(status) => {
        setLock(null);
        dispatch({ kind: 'loaded-status', status });
        setUnlocked((n) => n + 1);
      }} />
    );
  if (state.status === null)
    return (
      <main aria-busy="true">
        <h1>{t('app.name')}</h1>
        <p>{state.connection === 'lost' ? t('app.lost') : t('app.connecting')}</p>
      </main>
    );

  const ctx = { api: transport.api, state, dispatch, chooseLanguage };
  if (onboarding ?? !state.status.wallet.backedUp)
    return (
      <AppContext.Provider value={ctx}>
        <Onboarding onDone={() => setOnboarding(false)} />
      </AppContext.Provider>
    );

  const View = SCREENS.find((s) => s.id === screen)!.view;
  const go = (id: ScreenId) => {
    setScreen(id);
    mainRef.current?.focus();
  };
  return (
    <AppContext.Provider value={ctx}>
      <a class="skip" href="#content">{t('app.skip')}</a>
      <div class="shell">
        <nav class="side" aria-label={t('app.screens')}>
          <p class="brand">{t('app.name')}</p>
          <ul>
            {SCREENS.map((s) => (
              <li key={s.id}>
                <button type="button" aria-current={screen === s.id ? 'page' : undefined} onClick={() => go(s.id)}>
                  {t(s.label)}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <main id="content" tabIndex={-1} ref={mainRef}>
          <StatusPills />
          <View />
        </main>
      </div>
    </AppContext.Provider>
  );
}
