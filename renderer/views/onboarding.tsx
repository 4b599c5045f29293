/**
 * First start (issue 7): what Sipster does, the recovery phrase once (or "I have a seed phrase"), the meter, the
 * utility and mint, Tor, and the restore when the user came with a phrase.
 */
import { useReducer } from 'preact/hooks';
import { rich, t } from '../i18n/index.js';
import { answersMatch, onboard, startOnboarding, STEPS } from '../state/onboarding.js';
import { useApp, useCall } from './context.js';
import { MeterForm } from './meter-form.js';
import { CallFailed } from './parts.js';
import { ProxyForm } from './proxy-form.js';
import { RestoreForm } from './restore-form.js';
import { UtilityForm } from './utility-form.js';

const randomUnit = () => crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;

export function Onboarding({ onDone }: { onDone: () => void }) {
  const { api, state } = useApp();
  const [s, act] = useReducer(onboard, startOnboarding);
  const call = useCall();
  const status = state.status!;
  const next = () => act({ kind: 'next' });
  const nextButton = (label = t('common.continue')) => (
    <button type="button" class="primary" onClick={next}>
      {label}
    </button>
  );

  let body;
  switch (s.step) {
    case 'welcome':
      body = (
        <>
          <h1>{t('onboarding.welcome')}</h1>
          {status.recovery?.state === 'needed' && (
            <p class="note warn" role="alert">{t('onboarding.damaged')}</p>
          )}
          <p>{t('onboarding.intro1')}</p>
          <p>{t('onboarding.intro2')}</p>
          <button type="button" class="primary" disabled={call.busy}
            onClick={() => void call.run(api.takeSeedPhrase(), (v) => act({ kind: 'phrase', words: v.words, random: randomUnit }))}>
            {t('onboarding.create')}
          </button>{' '}
          <button type="button" class="secondary" disabled={call.busy} onClick={() => act({ kind: 'restore' })}>
            {t('onboarding.haveSeed')}
          </button>
          {call.error?.code === 'seed-already-shown' ? (
            <div class="note warn" role="alert">
              <p>{t('onboarding.alreadyShown')}</p>
              <button type="button" class="secondary" onClick={() => void call.run(api.confirmBackup(), () => act({ kind: 'skip-phrase' }))}>
                {t('onboarding.writtenDown')}
              </button>
            </div>
          ) : (
            <CallFailed error={call.error} />
          )}
        </>
      );
      break;
    case 'phrase':
      body = (
        <>
          <h1>{t('onboarding.phraseTitle')}</h1>
          <p>{t('onboarding.phraseText', { count: s.words?.length ?? 0 })}</p>
          <ol class="words" aria-label={t('onboarding.phraseLabel')}>
            {s.words?.map((w, i) => <li key={i}>{w}</li>)}
          </ol>
          {nextButton(t('onboarding.wroteThem'))}
        </>
      );
      break;
    case 'check':
      body = (
        <form onSubmit={(e) => {
          e.preventDefault();
          if (answersMatch(s)) void call.run(api.confirmBackup(), () => act({ kind: 'check' }));
          else act({ kind: 'check' });
        }}>
          <h1>{t('onboarding.checkTitle')}</h1>
          <p>{t('onboarding.checkText')}</p>
          <div class="row">
            {s.ask.map((p, i) => (
              <div key={p}>
                <label for={`word-${p}`}>{t('onboarding.word', { n: p + 1 })}</label>
                <input id={`word-${p}`} autocomplete="off" spellcheck={false} value={s.answers[i]}
                  onInput={(e) => act({ kind: 'answer', index: i, word: e.currentTarget.value })} />
              </div>
            ))}
          </div>
          {s.error !== null && <p class="note bad" role="alert">{s.error}</p>}
          <CallFailed error={call.error} />
          <p class="row">
            <button type="button" class="secondary" onClick={() => act({ kind: 'back' })}>{t('onboarding.showAgain')}</button>
            <button type="submit" class="primary" disabled={call.busy}>{t('onboarding.check')}</button>
          </p>
        </form>
      );
      break;
    case 'meter':
      body = (
        <>
          <h1>{t('onboarding.meterTitle')}</h1>
          <p>{t('onboarding.meterText')}</p>
          <MeterForm />
          {status.meter.meter !== null && <p>{rich('onboarding.meterIdentified', { strong: (c) => <strong>{c}</strong> }, { meter: status.meter.meter })}</p>}
          {nextButton()}
        </>
      );
      break;
    case 'utility':
      body = (
        <>
          <h1>{t('onboarding.utilityTitle')}</h1>
          <p>{t('onboarding.utilityText')}</p>
          <UtilityForm />
          {nextButton()}
        </>
      );
      break;
    case 'tor':
      body = (
        <>
          <h1>{t('onboarding.torTitle')}</h1>
          <p>{t('onboarding.torText')}</p>
          <ProxyForm />
          <p>{nextButton(s.restoring ? t('common.continue') : t('common.finish'))}</p>
        </>
      );
      break;
    case 'restore':
      body = (
        <>
          <h1>{t('onboarding.restoreTitle')}</h1>
          <p>{t('onboarding.restoreText')}</p>
          <RestoreForm />
          {status.recovery?.state === 'restored' && (
            <button type="button" class="primary" disabled={call.busy} onClick={() => void call.run(api.confirmBackup(), next)}>{t('common.finish')}</button>
          )}
        </>
      );
      break;
    case 'done':
      body = (
        <>
          <h1>{t('onboarding.doneTitle')}</h1>
          <p>{t('onboarding.doneText')}</p>
          <button type="button" class="primary" onClick={onDone}>{t('onboarding.open')}</button>
        </>
      );
      break;
  }

  // A user with a phrase sees no new phrase and no check; the others no restore.
  const steps = STEPS.filter((st) => (s.restoring ? st !== 'phrase' && st !== 'check' : st !== 'restore'));
  const at = steps.indexOf(s.step);
  return (
    <main class="onboarding card" id="content">
      <ol class="steps" aria-label={t('onboarding.step', { at: at + 1, count: steps.length })}>
        {steps.map((st, i) => <li key={st} class={i <= at ? 'done' : ''} />)}
      </ol>
      {body}
    </main>
  );
}
