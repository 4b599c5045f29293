/**
 * What the household side collects from a link, and the checks every link walk makes: the bill of a
 * period matches its tokens, and every token accepted is one the meter really issued (recomputed from
 * the meter's own state file after it stopped: zero bad tokens accepted).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { LinkEvent } from '../../bridge/index.js';
import { loadRecord } from '../../meter-emulator/index.js';
import { bytesToHex, tokenAt, type BillWithOpening, type Token } from '../../protocol/index.js';
import { billMatchesTokens } from './bill-check.js';

export class Household {
  readonly tokens: Token[] = [];
  readonly bills: BillWithOpening[] = [];
  readings = 0;

  readonly onEvent = (e: LinkEvent) => {
    if (e.kind === 'token') this.tokens.push(e.token);
    else if (e.kind === 'bill') this.bills.push(e.bill);
    else this.readings++;
  };

  bill(period: number): BillWithOpening | undefined {
    return this.bills.find((b) => b.bill.period === period);
  }

  /** The bill of `period` has arrived and every one of its K tokens too. */
  complete(period: number): boolean {
    const bill = this.bill(period);
    return bill !== undefined && this.tokens.filter((t) => t.period === period).length === bill.count;
  }
}

export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** After the meter stopped: the period's bill matches its tokens, and each token is the meter's own. */
export function expectPeriodSettles(household: Household, period: number, seedFile: string): void {
  const bill = household.bill(period);
  expect(bill, `bill of period ${period}`).toBeDefined();
  expect(billMatchesTokens(bill!, household.tokens)).toBe(true);
  const record = loadRecord(seedFile)!;
  for (const token of household.tokens) {
    if (token.period < record.state.period - 1) continue; // the meter no longer holds that seed
    const truth = tokenAt(record.state, token.period, token.index, record.setSecretKey);
    expect(bytesToHex(token.T), `token ${token.period}/${token.index}`).toBe(bytesToHex(truth.T));
  }
}
