// Hostile input for every parser of outside data (tests/security/fuzzTargets.ts): a few thousand cases each in CI.
// `npm run fuzz` runs 100k per parser with the same generators and rules.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FUZZ_TARGETS, runCase } from './fuzzTargets.js';

/** Per parser; keeps the whole file well under a minute on two cores. WMS cases are async and heavier. */
const RUNS = Number(process.env.RS_FUZZ_RUNS ?? 2000);

describe('hostile input: every parser answers with a typed result, never a stray exception or a hang', () => {
  for (const t of FUZZ_TARGETS) {
    it(t.name, async () => {
      const heavy = t.name.startsWith('WMS');
      await fc.assert(
        fc.asyncProperty(t.arbitrary, async (input) => {
          const problem = await runCase(t, input);
          expect(problem).toBeNull();
        }),
        { numRuns: heavy ? Math.ceil(RUNS / 4) : RUNS },
      );
    }, 120_000);
  }

  it('covers each kind of outside input the issue names', () => {
    const names = FUZZ_TARGETS.map((t) => t.name).join('\n');
    for (const kind of ['scanned text', 'keyboard-wedge', 'GS1', 'EPC', 'tracking', 'scanner frames', 'HID-POS', 'scale', 'Chafon', 'line readers', 'LLRP', 'WMS payloads', 'rule sets', 'config files', 'launch environment']) {
      expect(names).toContain(kind);
    }
  });
});
