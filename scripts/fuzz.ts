// `npm run fuzz [-- --runs N] [-- --only <text>] [-- --seed S]`: the hostile-input generators of
// tests/security/fuzzTargets.ts at volume (100k cases per parser by default). Prints, per parser,
// the cases run and the failures found (with the first few inputs), and exits 1 if any failed.
// Then the preview's WebSocket in a child process: the malformed frames of tests/security/wsFrames.ts and
// random ones (`--ws-runs N`, 2000 by default: each is a TCP connection), checking the process stays up.
import fc from 'fast-check';
import { FUZZ_TARGETS, runCase } from '../tests/security/fuzzTargets.js';
import { HOSTILE_WS_FRAMES, previewAnswers, sendFrame, startPreviewChild, wsFrameArbitrary } from '../tests/security/wsFrames.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const runs = Number(arg('runs') ?? 100_000);
const only = arg('only');
const seed = Number(arg('seed') ?? Date.now() % 2 ** 31);
const wsRuns = Number(arg('ws-runs') ?? 2000);
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
  if (!only || 'preview websocket frames'.includes(only.toLowerCase())) totalFailures += await fuzzWebSocket();
  console.log(totalFailures ? `fuzz: ${totalFailures} failure(s)` : 'fuzz: no failures');
  process.exitCode = totalFailures ? 1 : 0;
}

async function fuzzWebSocket(): Promise<number> {
  const started = Date.now();
  const preview = await startPreviewChild();
  const frames = [...HOSTILE_WS_FRAMES.map((f) => f.bytes), ...fc.sample(wsFrameArbitrary, { numRuns: wsRuns, seed })];
  let failures = 0;
  let cases = 0;
  const examples: string[] = [];
  try {
    for (const bytes of frames) {
      cases += 1;
      let problem: string | null = null;
      try {
        await sendFrame(preview.port, bytes);
        if (preview.child.exitCode !== null || preview.child.signalCode !== null) problem = `preview process exited: ${preview.stderr().slice(0, 300)}`;
        else if (cases % 100 === 0 || cases <= HOSTILE_WS_FRAMES.length) {
          const status = await previewAnswers(preview.port);
          if (status !== 200) problem = `preview answered ${status} afterwards`;
        }
      } catch (err) {
        problem = `threw ${String(err)}`;
      }
      if (problem) {
        failures += 1;
        if (examples.length < 3) examples.push(`    ${problem}\n      input: ${show(bytes)}`);
        // A dead preview fails every later case the same way: one report is enough.
        if (preview.child.exitCode !== null || preview.child.signalCode !== null) break;
      }
    }
  } finally {
    await preview.stop();
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${failures ? 'FAIL' : 'ok  '} ${'preview WebSocket frames (child process)'.padEnd(48)} cases ${String(cases).padStart(7)}  failures ${String(failures).padStart(5)}  ${secs} s`);
  for (const e of examples) console.log(e);
  return failures;
}

void main();
