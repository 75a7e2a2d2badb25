#!/usr/bin/env node
// Command-line tools for support staff and operations. Run from the repository with its
// devDependencies installed: the commands are TypeScript, loaded through tsx.
//
// Each command is one entry in COMMANDS: { summary, run(argv) → exit code }.
import { readFileSync } from 'node:fs';

async function loadTs(relativePath) {
  let tsImport;
  try {
    ({ tsImport } = await import('tsx/esm/api'));
  } catch {
    throw new UserError('returns-station needs the devDependency "tsx": run `npm install` in the repository first.');
  }
  return tsImport(new URL(relativePath, import.meta.url).href, import.meta.url);
}

class UserError extends Error {}

function readStdinLines() {
  // fd 0 read synchronously: the inputs are a handful of scanned codes, or a file piped in.
  const text = readFileSync(0, 'utf8');
  return text.split(/\r?\n/).filter((line) => line.trim() !== '');
}

const COMMANDS = {
  decode: {
    summary: 'say what scanned text is (tracking number, GS1, GTIN, EPC, RMA, order, LPN)',
    async run(argv) {
      const { parseDecodeArgs, decodeToJsonLines, DECODE_USAGE } = await loadTs('../core/domain/identifiers/decode.ts');
      const args = parseDecodeArgs(argv);
      if ('error' in args) throw new UserError(`${args.error}\n\n${DECODE_USAGE}`);
      if (args.help) {
        process.stdout.write(`${DECODE_USAGE}\n`);
        return 0;
      }
      const inputs = args.inputs.length > 0 ? args.inputs : readStdinLines();
      const { lines, allValid } = decodeToJsonLines(inputs, args.options);
      for (const line of lines) process.stdout.write(`${line}\n`);
      return args.strict && !allValid ? 1 : 0;
    },
  },
};

function usage() {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const list = Object.entries(COMMANDS)
    .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
    .join('\n');
  return `Usage: returns-station <command> [arguments]\n\nCommands:\n${list}\n\nreturns-station <command> --help shows a command's options.`;
}

async function main(argv) {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) throw new UserError(`unknown command "${name}"\n\n${usage()}`);
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    if (err instanceof UserError) {
      process.stderr.write(`returns-station: ${err.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`returns-station: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
