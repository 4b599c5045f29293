/** Fuzz run counts: small in `npm test`, FUZZ_RUNS (e.g. 100000 via `npm run test:fuzz`) for the full campaign. */
export const fuzzRuns = (ciDefault: number): number => {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : ciDefault;
};
