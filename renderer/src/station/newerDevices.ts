import type { DeviceStatus } from '../../../contract/index.js';

/**
 * The devices of a `devices.status` answer, each replaced by the one already shown where that one changed later. An
 * answer can be older than a push that overtook it: the station read the scanner as connected, the cable came out,
 * the `device.status` push arrived first, then the answer; taken as it came, the answer put the scanner back to
 * "connected" on screen until the next poll (15 s in the header).
 */
export function newerDevices(shown: readonly DeviceStatus[] | undefined, answered: readonly DeviceStatus[]): DeviceStatus[] {
  const byId = new Map((shown ?? []).map((d) => [d.deviceId, d]));
  return answered.map((d) => {
    const s = byId.get(d.deviceId);
    return s && s.since > d.since ? s : d;
  });
}
