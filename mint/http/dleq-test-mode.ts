/**
 * A dishonest mint, for wallet tests only (`--dleq omit|forge`): its blind signatures leave the wire without their
 * NUT-12 DLEQ proof, or with one that does not verify, as a mint tagging a household's outputs with a key of its own
 * would send them. The ledger still stores the honest signature; only the answer lies.
 * @module
 */
import type { FastifyInstance } from 'fastify';

export type DleqTestMode = 'omit' | 'forge';

interface WireSignature {
  dleq?: { e: string; s: string };
}

/** `s` with its last nibble changed: still 32 bytes of hex, no longer a proof. */
const forged = (s: string): string => s.slice(0, -1) + ((parseInt(s.slice(-1), 16) + 1) % 16).toString(16);

function lie(sig: WireSignature, mode: DleqTestMode): WireSignature {
  if (!sig.dleq) return sig;
  if (mode === 'omit') {
    const { dleq: _omitted, ...rest } = sig;
    return rest;
  }
  return { ...sig, dleq: { e: sig.dleq.e, s: forged(sig.dleq.s) } };
}

/** Rewrites every blind signature an answer carries (mint, swap, restore `signatures`; melt `change`). */
export function installDleqTestMode(app: FastifyInstance, mode: DleqTestMode): void {
  app.addHook('preSerialization', async (_req, _reply, payload: unknown) => {
    if (typeof payload !== 'object' || payload === null) return payload;
    const p = payload as Record<string, unknown>;
    const out = { ...p };
    for (const key of ['signatures', 'change'] as const)
      if (Array.isArray(p[key])) out[key] = (p[key] as WireSignature[]).map((s) => lie(s, mode));
    return out;
  });
}
