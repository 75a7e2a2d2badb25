import { describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../../contract/index.js';
import { newerDevices } from './newerDevices.js';

const scanner = (state: DeviceStatus['state'], since: number): DeviceStatus => ({ deviceId: 'scanner-1', kind: 'scanner', label: '/dev/ttyUSB0', state, since });
const scale: DeviceStatus = { deviceId: 'scale-1', kind: 'scale', label: '/dev/ttyUSB1', state: 'connected', since: 5 };

describe('newerDevices', () => {
  it('keeps a pushed change that an older answer would undo', () => {
    const merged = newerDevices([scanner('reconnecting', 200), scale], [scanner('connected', 100), scale]);
    expect(merged.map((d) => d.state)).toEqual(['reconnecting', 'connected']);
  });

  it('takes the answer where it is as new or newer, and only the devices it lists', () => {
    expect(newerDevices([scanner('reconnecting', 200), scale], [scanner('connected', 300)])).toEqual([scanner('connected', 300)]);
    expect(newerDevices([scanner('error', 200)], [scanner('reconnecting', 200)])).toEqual([scanner('reconnecting', 200)]);
    expect(newerDevices(undefined, [scale])).toEqual([scale]);
  });
});
