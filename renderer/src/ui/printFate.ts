import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { PrintOutcome } from '../../../contract/index.js';
import { useStation } from '../station/StationContext.js';

/** The print queue's unfinished jobs, as the Devices screen's queue lists them (one query, one cache). */
export const PRINT_JOBS_KEY = ['devices', 'printJobs'] as const;

/**
 * A label's outcome as it stands now, not only its first attempt's. A label that waited (printer out of labels,
 * switched off) and has since left the print queue has printed: the queue lets a job go only once it printed (the
 * bench has no cancel). Without this the result said "waiting for the label printer" after the label came out.
 *
 * `since`: when the first outcome arrived; only a list fetched after it can tell (an older one never had the job).
 */
export function settledOutcome(first: PrintOutcome, lpn: string, since: number, jobs: { lpns: readonly (string | null)[]; fetchedAt: number } | undefined): PrintOutcome {
  if (first.status === 'printed' || !jobs || jobs.fetchedAt <= since || jobs.lpns.includes(lpn)) return first;
  return { status: 'printed', printer: first.printer, ...(first.printerName ? { printerName: first.printerName } : {}) };
}

/** `settledOutcome` with the print queue's list, asked for while the first outcome is not "printed". */
export function usePrintFate(first: PrintOutcome | undefined, lpn: string | undefined): PrintOutcome | undefined {
  const station = useStation();
  // The moment this outcome was first seen here (a new LPN is a new outcome).
  const [seen, setSeen] = useState<{ lpn: string | undefined; at: number }>(() => ({ lpn, at: Date.now() }));
  if (seen.lpn !== lpn) setSeen({ lpn, at: Date.now() });
  const waiting = first !== undefined && lpn !== undefined && first.status !== 'printed';
  const jobs = useQuery({ queryKey: PRINT_JOBS_KEY, queryFn: () => station.call('printer.jobs', {}), refetchInterval: 3000, enabled: waiting });
  if (!first || lpn === undefined) return first;
  return settledOutcome(first, lpn, seen.at, jobs.data ? { lpns: jobs.data.jobs.map((j) => j.lpn), fetchedAt: jobs.dataUpdatedAt } : undefined);
}
