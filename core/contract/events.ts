import { z } from 'zod';
import { OperatorView, SyncStatus } from './entities.js';
import { DashboardChanged } from './reports.js';

/** Events the main side pushes to the renderer. */
export const events = {
  'sync.status': SyncStatus,
  'session.changed': OperatorView.nullable(),
  'device.scan': z.object({ text: z.string(), source: z.string(), symbology: z.string().optional() }),
  'dashboard.changed': DashboardChanged,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const eventNames = Object.keys(events) as EventName[];

export const EventEnvelope = z.object({ event: z.string(), payload: z.unknown() });
