/**
 * State changes the mint announces over NUT-17: a mint quote, a melt quote, or a proof's state changed.
 * `id` is what a subscription filters on (quote id, or Y for proofs); `payload` is what the wallet receives.
 * @module
 */
export type SubscriptionKind = 'bolt11_mint_quote' | 'bolt11_melt_quote' | 'proof_state';
export const SUBSCRIPTION_KINDS: readonly SubscriptionKind[] = ['bolt11_mint_quote', 'bolt11_melt_quote', 'proof_state'];

export interface ProofState {
  Y: string;
  state: 'UNSPENT' | 'PENDING' | 'SPENT';
  witness: string | null;
}

export interface MintEvent {
  kind: SubscriptionKind;
  id: string;
  payload: object;
}

export type MintEventListener = (event: MintEvent) => void;

/** A synchronous fan-out; a listener that throws does not stop the others. */
export class MintEvents {
  private readonly listeners = new Set<MintEventListener>();

  on(listener: MintEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: MintEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // one broken subscriber must not break the request that changed the state
      }
    }
  }

  proofStates(states: readonly ProofState[]): void {
    for (const s of states) this.emit({ kind: 'proof_state', id: s.Y, payload: s });
  }
}
