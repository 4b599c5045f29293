/**
 * First start (issue 7): what Sipster does, the recovery phrase once (or "I have a seed phrase"), the meter, the
 * utility and mint, Tor, and the restore when the user came with a phrase.
 */
import { useReducer } from 'preact/hooks';
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
  const nextButton = (label = 'Continue') => (
    <button type="button" class="primary" onClick={next}>
      {label}
    </button>
  );

  let body;
  switch (s.step) {
    case 'welcome':
      body = (
        <>
          <h1>Welcome to Sipster Home</h1>
          {status.recovery?.state === 'needed' && (
            <p class="note warn" role="alert">The wallet on this computer was damaged and set aside. Choose “I have a seed phrase” to restore it from your recovery phrase.</p>
          )}
          <p>Sipster Home shows you your own electricity use, minute by minute, and it never leaves this computer.</p>
          <p>It pays your utility unit by unit with anonymous e-cash over Tor, and at the end of each billing period proves you paid in full, without the utility learning when or how much you used.</p>
          <button type="button" class="primary" disabled={call.busy}
            onClick={() => void call.run(api.takeSeedPhrase(), (v) => act({ kind: 'phrase', words: v.words, random: randomUnit }))}>
            Create my wallet
          </button>{' '}
          <button type="button" class="secondary" disabled={call.busy} onClick={() => act({ kind: 'restore' })}>
            I have a seed phrase
          </button>
          {call.error?.code === 'seed-already-shown' ? (
            <div class="note warn" role="alert">
              <p>The recovery phrase was already shown once. If you wrote it down, continue.</p>
              <button type="button" class="secondary" onClick={() => void call.run(api.confirmBackup(), () => act({ kind: 'skip-phrase' }))}>
                I have it written down
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
          <h1>Your recovery phrase</h1>
          <p>Write these {s.words?.length ?? 0} words on paper, in order. They are the only way to restore your e-cash if this computer is lost. They are shown only this once.</p>
          <ol class="words" aria-label="Recovery phrase">
            {s.words?.map((w, i) => <li key={i}>{w}</li>)}
          </ol>
          {nextButton('I wrote them down')}
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
          <h1>Check your copy</h1>
          <p>Type these words from your paper.</p>
          <div class="row">
            {s.ask.map((p, i) => (
              <div key={p}>
                <label for={`word-${p}`}>Word {p + 1}</label>
                <input id={`word-${p}`} autocomplete="off" spellcheck={false} value={s.answers[i]}
                  onInput={(e) => act({ kind: 'answer', index: i, word: e.currentTarget.value })} />
              </div>
            ))}
          </div>
          {s.error !== null && <p class="note bad" role="alert">{s.error}</p>}
          <CallFailed error={call.error} />
          <p class="row">
            <button type="button" class="secondary" onClick={() => act({ kind: 'back' })}>Show the words again</button>
            <button type="submit" class="primary" disabled={call.busy}>Check</button>
          </p>
        </form>
      );
      break;
    case 'meter':
      body = (
        <>
          <h1>Your meter</h1>
          <p>Sipster Home reads the meter's P1 port through a USB cable, or over your network when a P1 dongle or a HomeWizard P1 meter sits on the meter. Each serial port is listened to for a moment: the one that speaks P1 is chosen for you.</p>
          <MeterForm />
          {status.meter.meter !== null && <p>Meter <strong>{status.meter.meter}</strong> identified itself.</p>}
          {nextButton()}
        </>
      );
      break;
    case 'utility':
      body = (
        <>
          <h1>Your utility and your mint</h1>
          <p>Enter your utility's address from its letter or website. Compare the key fingerprint with the one it printed: it is pinned now, and if it ever changes, Sipster Home stops and tells you.</p>
          <UtilityForm />
          {nextButton()}
        </>
      );
      break;
    case 'tor':
      body = (
        <>
          <h1>Tor</h1>
          <p>Payments go only through Tor, so the utility cannot tell which household paid. With no working Tor, nothing is sent.</p>
          <ProxyForm />
          <p>{nextButton(s.restoring ? 'Continue' : 'Finish')}</p>
        </>
      );
      break;
    case 'restore':
      body = (
        <>
          <h1>Restore your wallet</h1>
          <p>Type the recovery phrase you wrote down. Your e-cash is found again at the mint, the tokens of the running period from the meter, and their receipts at the utility.</p>
          <RestoreForm />
          {status.recovery?.state === 'restored' && (
            <button type="button" class="primary" disabled={call.busy} onClick={() => void call.run(api.confirmBackup(), next)}>Finish</button>
          )}
        </>
      );
      break;
    case 'done':
      body = (
        <>
          <h1>All set</h1>
          <p>Your wallet is ready. Top it up from the Wallet screen; payments then run by themselves.</p>
          <button type="button" class="primary" onClick={onDone}>Open Sipster Home</button>
        </>
      );
      break;
  }

  // A user with a phrase sees no new phrase and no check; the others no restore.
  const steps = STEPS.filter((st) => (s.restoring ? st !== 'phrase' && st !== 'check' : st !== 'restore'));
  const at = steps.indexOf(s.step);
  return (
    <main class="onboarding card" id="content">
      <ol class="steps" aria-label={`Step ${at + 1} of ${steps.length}`}>
        {steps.map((st, i) => <li key={st} class={i <= at ? 'done' : ''} />)}
      </ol>
      {body}
    </main>
  );
}
