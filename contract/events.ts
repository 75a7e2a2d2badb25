import { z } from 'zod';
import { DeviceStatus, ScanEvent, TagRead, UnreadableScan, WeightReading } from './devices.js';
import { OperatorView, SyncStatus } from './entities.js';
import { DashboardChanged, ExportProgress } from './reports.js';

/** Events the main side pushes to the renderer. */
export const events = {
  'sync.status': SyncStatus,
  'session.changed': OperatorView.nullable(),
  /** A serial or HID-POS scanner read a barcode (`text` is the data, GS kept). */
  'device.scan': ScanEvent,
  /** A serial or HID-POS scanner sent something that is not a readable scan (at most about one a second per scanner). */
  'device.unreadable': UnreadableScan,
  /** Every device's status, sent whenever one changes (printer included). */
  'device.status': z.array(DeviceStatus),
  /** A new tag in an RFID reader's field (repeats within 2 s are dropped per reader). */
  'device.tags': TagRead,
  /** A scale reading (stable or not) as the scale sends it. */
  'device.weight': WeightReading,
  'dashboard.changed': DashboardChanged,
  /** Rows written so far by the running export (supervisors' Reports screen shows a progress bar). */
  'reports.exportProgress': ExportProgress,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const eventNames = Object.keys(events) as EventName[];

export const EventEnvelope = z.object({ event: z.string(), payload: z.unknown() });
