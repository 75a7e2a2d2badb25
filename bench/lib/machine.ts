import { cpus, loadavg, totalmem, platform, release } from 'node:os';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  totalMemMb: number;
  node: string;
  os: string;
  /** 1-minute load average when the bench started: other work on the machine slows every figure. */
  loadAvg1mAtStart: number;
  date: string;
}

export function machineInfo(): MachineInfo {
  const c = cpus();
  return {
    cores: c.length,
    cpuModel: c[0]?.model.trim() ?? 'unknown',
    totalMemMb: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
    os: `${platform()} ${release()}`,
    loadAvg1mAtStart: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    date: new Date().toISOString(),
  };
}
