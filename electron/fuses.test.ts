import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

interface AfterPackContext {
  appOutDir: string;
  electronPlatformName: string;
  arch: number;
  packager: { executableName: string; appInfo: { productFilename: string } };
}
const require = createRequire(import.meta.url);
const afterPack = require('../scripts/after-pack-fuses.cjs') as (context: AfterPackContext) => Promise<void>;

// What @electron/fuses looks for inside an Electron binary: a sentinel, the wire version, its length, one byte per fuse.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ENABLE = 0x31;
const DISABLE = 0x30;
const WIRE_LENGTH = 8;

let outDir: string;

beforeEach(() => {
  outDir = mkdtempSync(join(tmpdir(), 'rs-fuses-'));
});
afterEach(() => {
  rmSync(outDir, { recursive: true, force: true });
});

/** A stand-in Linux Electron binary with Electron's default fuse states (RunAsNode on, inspect on, ...). */
function fakeElectronBinary(path: string): void {
  const defaults = [ENABLE, DISABLE, ENABLE, ENABLE, DISABLE, DISABLE, DISABLE, ENABLE];
  writeFileSync(path, Buffer.concat([Buffer.from('ELF...padding...'), Buffer.from(SENTINEL), Buffer.from([1, WIRE_LENGTH, ...defaults]), Buffer.from('...rest')]));
}

describe('afterPack fuses', () => {
  it('turns off RunAsNode, NODE_OPTIONS and --inspect, and requires a validated app.asar', async () => {
    const binary = join(outDir, 'returns-station');
    fakeElectronBinary(binary);
    await afterPack({
      appOutDir: outDir,
      electronPlatformName: 'linux',
      arch: 1,
      packager: { executableName: 'returns-station', appInfo: { productFilename: 'Returns Station' } },
    });
    const wire = (await getCurrentFuseWire(binary)) as Record<number, number>;
    expect(wire[FuseV1Options.RunAsNode]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(ENABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLE);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(DISABLE);
    expect(readFileSync(binary).subarray(-7).toString()).toBe('...rest');
  });

  it('finds the Windows executable by product name', async () => {
    mkdirSync(outDir, { recursive: true });
    const binary = join(outDir, 'Returns Station.exe');
    fakeElectronBinary(binary);
    await afterPack({
      appOutDir: outDir,
      electronPlatformName: 'win32',
      arch: 1,
      packager: { executableName: 'returns-station', appInfo: { productFilename: 'Returns Station' } },
    });
    expect(((await getCurrentFuseWire(binary)) as Record<number, number>)[FuseV1Options.RunAsNode]).toBe(DISABLE);
  });
});
