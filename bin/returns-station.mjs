#!/usr/bin/env node
// Command-line tools for support staff and operations. Run from the repository with its
// devDependencies installed: the commands are TypeScript, loaded through tsx.
//
// Each command is one entry in COMMANDS: { summary, run(argv) → exit code }.
import { existsSync, readFileSync } from 'node:fs';

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

const AUDIT_USAGE = `Usage: returns-station audit verify [--db <path to station.sqlite>] [--hub <url> | --local]

Checks the hash chain of the station's audit log. Without --db: station.sqlite in the app's data folder
($RS_DATA_DIR, else the "data" folder under the app's user-data folder, e.g. ~/.config/Returns Station/data).
With --hub (or RS_HUB_URL set, unless --local), it also compares the chain with the anchors the site hub
recorded from this bench (authenticated with the bench's credential, RS_HUB_TOKEN): that shows newest
entries removed, or a chain rebuilt, which the local chain alone cannot.
Exit code 0 when the chain is intact, 1 when an entry was altered or removed, 2 when it could not be checked.`;

const COMMANDS = {
  audit: {
    summary: "verify the audit log's hash chain (audit verify [--db path])",
    async run(argv) {
      const [sub, ...rest] = argv;
      if (sub === '--help' || sub === '-h' || sub === undefined) {
        process.stdout.write(`${AUDIT_USAGE}\n`);
        return sub === undefined ? 2 : 0;
      }
      if (sub !== 'verify') throw new UserError(`unknown audit command "${sub}"\n\n${AUDIT_USAGE}`);
      let dbPath;
      let hubUrl;
      let local = false;
      for (let i = 0; i < rest.length; i++) {
        const a = rest[i];
        if (a === '--db') dbPath = rest[++i];
        else if (a.startsWith('--db=')) dbPath = a.slice(5);
        else if (a === '--hub') hubUrl = rest[++i];
        else if (a.startsWith('--hub=')) hubUrl = a.slice(6);
        else if (a === '--local') local = true;
        else throw new UserError(`unknown option "${a}"\n\n${AUDIT_USAGE}`);
      }
      if (local && hubUrl !== undefined) throw new UserError(`--hub and --local contradict each other\n\n${AUDIT_USAGE}`);
      if (!local && hubUrl === undefined && process.env.RS_HUB_URL) hubUrl = process.env.RS_HUB_URL;
      if (hubUrl !== undefined && !process.env.RS_HUB_TOKEN) {
        throw new UserError(`comparing with the hub needs this bench's hub credential in RS_HUB_TOKEN (or use --local)`);
      }
      if (dbPath === undefined) {
        // The same default as the app (electron/runtimePaths.ts), so support staff need not know where it is.
        const { defaultDataDir } = await loadTs('../electron/runtimePaths.ts');
        dbPath = `${defaultDataDir(process.env)}/station.sqlite`;
      }
      if (!existsSync(dbPath)) throw new UserError(`no database at ${dbPath}`);
      const { openDatabase } = await loadTs('../db/connection.ts');
      const { verifyAuditChain } = await loadTs('../db/repositories/audit.ts');
      let db;
      try {
        // Read-only: verifying must never migrate or write the file it checks.
        db = openDatabase(dbPath, { readonly: true });
        const hasLog = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get();
        if (!hasLog) throw new UserError(`${dbPath} is an SQLite database but has no audit log (no audit_log table): is it a station's station.sqlite?`);
        const verdict = verifyAuditChain(db);
        if (hubUrl === undefined) {
          process.stdout.write(`${JSON.stringify(verdict)}\n`);
          if (!verdict.ok) process.stderr.write(`returns-station: audit chain broken at entry ${verdict.brokenAtSeq}: ${verdict.reason}\n`);
          return verdict.ok ? 0 : 1;
        }
        const { fetchAuditAnchors } = await loadTs('../core/sync/auditAnchor.ts');
        const { compareWithAnchors } = await loadTs('../db/repositories/audit.ts');
        let list;
        try {
          list = await fetchAuditAnchors({ url: hubUrl, token: process.env.RS_HUB_TOKEN, timeoutMs: 15_000 });
        } catch (err) {
          process.stdout.write(`${JSON.stringify(verdict)}\n`);
          if (!verdict.ok) process.stderr.write(`returns-station: audit chain broken at entry ${verdict.brokenAtSeq}: ${verdict.reason}\n`);
          process.stderr.write(`returns-station: the local chain was checked, but not compared with the hub: ${err instanceof Error ? err.message : String(err)}\n`);
          return verdict.ok ? 2 : 1;
        }
        const findings = compareWithAnchors(db, list.anchors);
        const ok = verdict.ok && findings.length === 0;
        process.stdout.write(`${JSON.stringify({ ...verdict, ok, hub: { url: hubUrl, stationId: list.stationId, anchors: list.anchors.length, findings } })}\n`);
        if (!verdict.ok) process.stderr.write(`returns-station: audit chain broken at entry ${verdict.brokenAtSeq}: ${verdict.reason}\n`);
        for (const f of findings) process.stderr.write(`returns-station: ${f.sentence}\n`);
        return ok ? 0 : 1;
      } catch (err) {
        if (err instanceof UserError) throw err;
        const code = err && typeof err === 'object' && 'code' in err ? String(err.code) : '';
        if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw new UserError(`${dbPath} is not a station database (SQLite cannot read it as a database).`);
        if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM' || code === 'SQLITE_IOERR') throw new UserError(`${dbPath} cannot be opened (${code}): check that it is readable by this user.`);
        throw err;
      } finally {
        db?.close();
      }
    },
  },
  decode: {
    summary: 'say what scanned text is (tracking number, GS1, GTIN, EPC, RMA, order, LPN)',
    async run(argv) {
      const { parseDecodeArgs, decodeToJsonLines, DECODE_USAGE } = await loadTs('../domain/identifiers/decode.ts');
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
