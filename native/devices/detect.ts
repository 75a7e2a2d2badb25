// Auto-detection for the Devices screen: which serial ports and HID-POS scanners are there now.
// Never throws: a missing udevadm or an unloadable HID module becomes a warning.
import { findHidPosDevices, hidPosSource, loadNodeHid, type HidApiLike } from '../scanners/hidPos.js';
import { listSerialPorts, type ListSerialPortsOptions, type SerialPortEntry } from '../transports/serial.js';
import type { DetectWarning } from '../../contract/calls/devices.js';

export interface DetectedHidPosScanner {
  source: string;
  path: string;
  vendorId: number;
  productId: number;
  product?: string;
  manufacturer?: string;
  serialNumber?: string;
}

export interface DetectedDevices {
  serialPorts: SerialPortEntry[];
  hidPosScanners: DetectedHidPosScanner[];
  warnings: DetectWarning[];
}

export interface DetectOptions {
  serial?: ListSerialPortsOptions;
  /** The HID API or its loader (default: node-hid, loaded lazily). */
  hidApi?: HidApiLike | (() => Promise<HidApiLike>);
}

export async function detectDevices(options: DetectOptions = {}): Promise<DetectedDevices> {
  const warnings: DetectWarning[] = [];
  const listing = await listSerialPorts(options.serial);
  if (listing.warning) warnings.push(listing.warning);
  let hidPosScanners: DetectedHidPosScanner[] = [];
  try {
    const source = options.hidApi ?? loadNodeHid;
    const api = typeof source === 'function' ? await source() : source;
    hidPosScanners = findHidPosDevices(api).map((d) => {
      const out: DetectedHidPosScanner = { source: hidPosSource(d), path: d.path ?? '', vendorId: d.vendorId, productId: d.productId };
      if (d.product) out.product = d.product;
      if (d.manufacturer) out.manufacturer = d.manufacturer;
      if (d.serialNumber) out.serialNumber = d.serialNumber;
      return out;
    });
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    warnings.push({ text: `HID-POS scanners could not be listed: ${detail}`, key: 'devices.warning.hidListFailed', params: { detail } });
  }
  return { serialPorts: listing.ports, hidPosScanners, warnings };
}
