// Runs the real bin script as support staff would, and reads its JSON lines.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DecodedCode } from '../../contract/index.js';

const BIN = fileURLToPath(new URL('../../bin/returns-station.mjs', import.meta.url));

function run(args: string[], stdin?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input: stdin ?? '', encoding: 'utf8', timeout: 30_000 });
  const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
  return { status: r.status, stderr: r.stderr, stdout: r.stdout, lines };
}

function decodedLines(lines: string[]): DecodedCode[] {
  return lines.map((l) => DecodedCode.parse(JSON.parse(l)));
}

describe('returns-station decode', () => {
  it('prints one contract-valid JSON object per argument, in order', () => {
    const r = run(['decode', '1234-5678-9013', 'EJ123456785JP', ']C10104912345678904172712311012AB\u001d21XYZ', '4901234567894', 'RMA-00012345', '3074257BF7194E4000001A85', 'garbage!']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = decodedLines(r.lines);
    expect(out).toHaveLength(7);
    expect(out[0]).toMatchObject({ kind: 'tracking', valid: true, carrier: 'yamato', normalized: '123456789013' });
    expect(out[1]).toMatchObject({ kind: 'tracking', valid: true, carrier: 'japanpost_intl' });
    expect(out[2]).toMatchObject({ kind: 'gs1', valid: true, gtin: '04912345678904', lot: '12AB', serial: 'XYZ', expiry: '2027-12-31' });
    expect(out[3]).toMatchObject({ kind: 'gtin', valid: true, gtin: '04901234567894' });
    expect(out[4]).toMatchObject({ kind: 'rma', valid: true });
    expect(out[5]).toMatchObject({ kind: 'epc', valid: true, epcScheme: 'SGTIN-96', serial: '6789' });
    expect(out[6]).toMatchObject({ kind: 'unknown', valid: false });
    expect(out[6]?.error).toBeTruthy();
  });

  it('reports a wrong check digit as invalid with an error', () => {
    const [line] = decodedLines(run(['decode', '123456789014']).lines);
    expect(line).toMatchObject({ kind: 'tracking', valid: false, error: expect.stringMatching(/check digit/) });
  });

  it('reads codes from standard input with "-"', () => {
    const r = run(['decode', '-'], '4901234567894\r\n\nLPN-BENCH01-0000042\n');
    expect(decodedLines(r.lines).map((d) => d.kind)).toEqual(['gtin', 'lpn']);
  });

  it('honours --gs and --expect', () => {
    const [gs1] = decodedLines(run(['decode', '--gs', '|', '010491234567890410LOT|21SER']).lines);
    expect(gs1).toMatchObject({ kind: 'gs1', lot: 'LOT', serial: 'SER' });
    const [item] = decodedLines(run(['decode', '--expect', 'item', '000000000000']).lines);
    expect(item?.kind).toBe('gtin');
  });

  it('exits 1 under --strict when a code is invalid, 0 when all are valid', () => {
    expect(run(['decode', '--strict', '4901234567890']).status).toBe(1);
    expect(run(['decode', '--strict', '4901234567894']).status).toBe(0);
  });

  it('says what is wrong with the command line, with status 2', () => {
    const unknownCommand = run(['frobnicate']);
    expect(unknownCommand.status).toBe(2);
    expect(unknownCommand.stderr).toMatch(/unknown command "frobnicate"/);
    expect(unknownCommand.stderr).toMatch(/decode/);
    const badOption = run(['decode', '--expect', 'box', '1']);
    expect(badOption.status).toBe(2);
    expect(badOption.stdout).toBe('');
    expect(run(['decode', '--help']).stdout).toMatch(/Usage: returns-station decode/);
  });
});
