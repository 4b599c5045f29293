/** What every screen needs: the typed API and the window's state. */
import { createContext } from 'preact';
import { useContext, useState } from 'preact/hooks';
import type { ApiErrorCode, BridgedApi, Reply } from '../../main/api/index.js';
import type { Language } from '../i18n/index.js';
import type { Action, AppState } from '../state/store.js';

export interface AppContextValue {
  api: BridgedApi;
  state: AppState;
  dispatch: (a: Action) => void;
  /** The household's pick in Settings (or the system's language again): applied, remembered, and the window redrawn. */
  chooseLanguage: (pick: Language | 'system') => void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const v = useContext(AppContext);
  if (v === null) throw new Error('useApp outside <AppContext.Provider>');
  return v;
}

export interface CallError {
  code: ApiErrorCode;
  message: string;
}

/**
 * One engine call at a time from a control: `busy` disables it, a failed Reply becomes `error` (shown with
 * plain-words advice), a good one is handed to `onValue`.
 */
export function useCall() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CallError | null>(null);
  async function run<T>(call: Promise<Reply<T>>, onValue?: (v: T) => void): Promise<T | null> {
    setBusy(true);
    setError(null);
    try {
      const r = await call;
      if (!r.ok) {
        setError(r.error);
        return null;
      }
      onValue?.(r.value);
      return r.value;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run, clear: () => setError(null) };
}
