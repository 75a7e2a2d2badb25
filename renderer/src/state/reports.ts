import { create } from 'zustand';
import type { ReportFilters } from '../../../contract/index.js';

export type ReportDraft = { from: string; to: string; shift: string; stationId: string; operatorId: string; category: string; disposition: string; flag: string; channel: string };

interface ReportsState {
  /** The filters as typed; null until the Reports screen first opens in this session. */
  draft: ReportDraft | null;
  /** The filters the figures on screen were asked with. */
  applied: ReportFilters | null;
  /** The day the untouched period defaulted to, so a new operational day can move it on. */
  defaultDay: string | null;
  /** A file name the supervisor typed over the default. */
  typedName: string | null;
  opened(today: string): void;
  draftEdited(draft: ReportDraft): void;
  filtersApplied(filters: ReportFilters): void;
  nameTyped(name: string): void;
  dayMoved(today: string): void;
  signedOut(): void;
}

export function defaultDraft(day: string): ReportDraft {
  return { from: day, to: day, shift: '', stationId: '', operatorId: '', category: '', disposition: '', flag: '', channel: '' };
}

export function toFilters(d: ReportDraft): ReportFilters {
  const f: Record<string, string> = {};
  for (const [k, v] of Object.entries(d)) if (v.trim() !== '') f[k] = v.trim();
  return f as ReportFilters;
}

/**
 * The Reports filters for the signed-in supervisor's session: leaving for the dashboard and coming back finds
 * the period and filters as they were, not today's. Only what the screen shows; the figures stay in the query cache.
 */
export const useReportsStore = create<ReportsState>()((set, get) => ({
  draft: null,
  applied: null,
  defaultDay: null,
  typedName: null,
  opened: (today) => {
    if (get().draft) return;
    const draft = defaultDraft(today);
    set({ draft, applied: toFilters(draft), defaultDay: today, typedName: null });
  },
  draftEdited: (draft) => set({ draft }),
  filtersApplied: (applied) => set({ applied }),
  nameTyped: (typedName) => set({ typedName }),
  // Only a period still on the old default moves: one the supervisor chose stays.
  dayMoved: (today) => {
    const { draft, applied, defaultDay } = get();
    if (!draft || !applied || defaultDay === null || defaultDay === today) return;
    const untouched = (p: { from?: string | undefined; to?: string | undefined }) => p.from === defaultDay && p.to === defaultDay;
    set({
      defaultDay: today,
      draft: untouched(draft) ? { ...draft, from: today, to: today } : draft,
      applied: untouched(applied) ? { ...applied, from: today, to: today } : applied,
    });
  },
  signedOut: () => set({ draft: null, applied: null, defaultDay: null, typedName: null }),
}));
