// `npm run fuzz [-- --runs N] [-- --only <text>] [-- --seed S]`: the hostile-input generators of
// tests/security/fuzzTargets.ts at volume (100k cases per parser by default). Prints, per parser,
// the cases run and the failures found (with the first few inputs), and exits 1 if any failed.
import fc from 'fast-check';
import { FUZZ_TARGETS, runCase } from '../tests/security/fuzzTargets.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const runs = Number(arg('runs') ?? 100_000);
const only = arg('only');
const seed = Number(arg('seed') ?? Date.now() % 2 ** 31);
const CHUNK = 1000;

function show(input: unknown): string {
  try {
    const text = Buffer.isBuffer(input) ? `<${input.toString('hex')}>` : JSON.stringify(input, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
    return (text ?? String(input)).slice(0, 200);
  } catch {
    return String(input).slice(0, 200);
  }
}

async function main(): Promise<void> {
  console.log(`fuzz: ${runs} cases per parser, seed ${seed}`);
  let totalFailures = 0;
  for (const [index, t] of FUZZ_TARGETS.entries()) {
    if (only && !t.name.toLowerCase().includes(only.toLowerCase())) continue;
    const started = Date.now();
    let cases = 0;
    let failures = 0;
    const examples: string[] = [];
    for (let chunk = 0; cases < runs; chunk++) {
      const n = Math.min(CHUNK, runs - cases);
      for (const input of fc.sample(t.arbitrary, { numRuns: n, seed: seed + index * 1_000_003 + chunk })) {
        const problem = await runCase(t, input);
        cases += 1;
        if (problem) {
          failures += 1;
          if (examples.length < 3) examples.push(`    ${problem}\n      input: ${show(input)}`);
        }
      }
    }
    totalFailures += failures;
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`${failures ? 'FAIL' : 'ok  '} ${t.name.padEnd(48)} cases ${String(cases).padStart(7)}  failures ${String(failures).padStart(5)}  ${secs} s`);
    for (const e of examples) console.log(e);
  }
  console.log(totalFailures ? `fuzz: ${totalFailures} failure(s)` : 'fuzz: no failures');
  process.exitCode = totalFailures ? 1 : 0;
}

void main();
