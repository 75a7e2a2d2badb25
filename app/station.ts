// A bench's station with its concrete parts: the configured label printer (its queue in the station database),
// the device drivers of native/, and the printer's status among the bench's devices. core/station.ts assembles
// the services; this is where the drivers are chosen, and where tests swap them for fakes.
import type { StationConfigInput } from '../contract/index.js';
import { createStation, type Station, type StationRuntimeOptions } from '../core/station.js';
import type { BenchDevicesPort, LabelOutput } from '../core/ports.js';
import { sqlitePrintJobStore } from '../db/repositories/printJobs.js';
import { parseBenchDevicesConfig } from '../native/devices/config.js';
import { DeviceManager, type DeviceManagerDeps } from '../native/devices/deviceManager.js';
import { PrinterDevice } from '../native/devices/printerDevice.js';
import { createLabelPrinter } from '../native/printers/labelPrinter.js';
import { replaceablePrinter, type ReplaceablePrinter } from '../native/printers/replaceablePrinter.js';
import { createLabelOutput } from './labelOutput.js';

export type { Station, StationListener } from '../core/station.js';

export interface BenchRuntimeOptions extends StationRuntimeOptions {
  /** Replaces the configured printer (tests, benchmarks); the Devices screen then has no printer. */
  labels?: LabelOutput;
  /** Transports and options for the device drivers (tests inject fakes). */
  deviceDeps?: DeviceManagerDeps;
}

/**
 * The bench's devices through native/'s drivers; `printer` joins them as the device "printer". Each device list
 * opened gets a printer device of its own over the printer of that moment, so a replaced printer is the one shown.
 */
export function nativeBenchDevices(printer: ReplaceablePrinter | null, deps?: DeviceManagerDeps): BenchDevicesPort {
  let printerDevice: PrinterDevice | null = null;
  return {
    check(devices) {
      const checked = parseBenchDevicesConfig({ devices });
      if (checked.ok) return { ok: true };
      return checked.issue ? { ok: false, message: checked.message, issue: checked.issue } : { ok: false, message: checked.message };
    },
    open(devices) {
      const checked = parseBenchDevicesConfig({ devices });
      if (!checked.ok) throw new Error(`Device config is not valid: ${checked.message}`);
      const manager = new DeviceManager(checked.config, deps);
      printerDevice = printer && printer.name !== 'none' ? new PrinterDevice(printer) : null;
      if (printerDevice) manager.add(printerDevice);
      return manager;
    },
    refreshPrinter: () => void printerDevice?.refresh(),
    async replacePrinter(config) {
      if (!printer) throw new Error('this station prints through a label output of its own, not a bench printer');
      await printer.replace(config);
    },
  };
}

export function startStation(configInput: StationConfigInput, runtime: BenchRuntimeOptions = {}): Promise<Station> {
  const { labels, deviceDeps, ...options } = runtime;
  return createStation(
    configInput,
    ({ db, config }) => {
      // Print jobs live in the station DB so a crash between grading and printing loses no label.
      const store = sqlitePrintJobStore(db);
      const printer = labels ? null : replaceablePrinter(config.printer, (c) => createLabelPrinter(c, { store }));
      return {
        labels: labels ?? createLabelOutput(config.printer, printer ?? undefined),
        printer,
        devices: nativeBenchDevices(printer, deviceDeps),
      };
    },
    options,
  );
}
