// The reviewed role of every contract call. A call added to contract without an entry here fails
// tests/security/roles.test.ts: someone has to decide, in review, who may make it.
import type { Role } from '../../contract/index.js';

export const ROLE_ORDER = ['staff', 'lead', 'supervisor'] as const satisfies readonly Role[];
export type MinRole = 'public' | Role;

export interface InputContext {
  /** A folder the test owns and removes. */
  scratchDir: string;
  /** The credentials of the operator the matrix is calling as (a staff operator for the signed-out client). */
  self: { badge: string; pin: string };
}

export interface CallEntry {
  /** The lowest role allowed; every role above it is allowed too. */
  minRole: MinRole;
  /** A schema-valid input when the generic builder (sampleInput.ts) cannot make one or would do harm. */
  input?: (ctx: InputContext) => unknown;
}

const UUID = '00000000-0000-4000-8000-000000000000';

export const CALL_TABLE: Readonly<Record<string, CallEntry>> = {
  // Before sign-in: what the sign-in screen needs, nothing else.
  'system.info': { minRole: 'public' },
  // Right credentials, so success proves the call was let through; a wrong PIN would also count towards lock-out.
  'session.signIn': { minRole: 'public', input: ({ self }) => ({ badge: self.badge, pin: self.pin }) },
  'session.current': { minRole: 'public' },
  'session.signOut': { minRole: 'public' },
  // First start of a production bench; the enrolment is refused (CONFLICT) once any operator exists.
  'setup.status': { minRole: 'public' },
  'setup.enrolSupervisor': { minRole: 'public', input: () => ({ badge: 'FIRST-1', name: 'First', pin: '5678', pinRepeat: '5678' }) },

  // The bench work of every operator: receive, match, grade, sort, print, photograph.
  'parcel.open': { minRole: 'staff' },
  'parcel.matchItem': { minRole: 'staff' },
  'parcel.get': { minRole: 'staff' },
  'parcel.search': { minRole: 'staff' },
  'parcel.receiveUnexpected': { minRole: 'staff' },
  'parcel.close': { minRole: 'staff' },
  'item.grade': { minRole: 'staff', input: () => ({ parcelId: UUID, lineId: 'L1', grade: 'A' }) },
  'item.labelPreview': { minRole: 'staff', input: () => ({ itemId: UUID }) },
  // A labelled item found on the bench is identified by any operator; it only reads what the bench already shows.
  'item.lookup': { minRole: 'staff', input: () => ({ lpn: 'LPN-BENCH01-0000001' }) },
  'grading.profile': { minRole: 'staff' },
  'photo.attach': { minRole: 'staff' },
  'rules.get': { minRole: 'staff' },
  'container.list': { minRole: 'staff' },
  'container.open': { minRole: 'staff' },
  'container.sort': { minRole: 'staff' },
  'container.close': { minRole: 'staff' },
  'printer.jobs': { minRole: 'staff' },
  // Reprinting a damaged label is routine at the bench; the print queue records who asked.
  'printer.reprint': { minRole: 'staff' },
  'devices.status': { minRole: 'staff' },
  'devices.recentScans': { minRole: 'staff' },
  'devices.readWeight': { minRole: 'staff' },
  'devices.readTags': { minRole: 'staff' },
  'sync.status': { minRole: 'staff' },
  'sync.flush': { minRole: 'staff' },
  // Consolidated totes (issue 17): receiving them is bench work; their flags are a lead's.
  'tote.open': { minRole: 'staff', input: () => ({ code: 'TOTE-MATRIX1' }) },
  'tote.get': { minRole: 'staff', input: () => ({ toteId: 'TOTE-MATRIX1' }) },
  'tote.scanBag': { minRole: 'staff', input: () => ({ code: 'BAG-0000000001' }) },
  'tote.close': { minRole: 'staff', input: () => ({ toteId: 'TOTE-MATRIX1' }) },

  // Leads run the shift: exceptions, the review queue, device set-up, figures, dead letters.
  'parcel.listUnlinked': { minRole: 'lead' },
  'parcel.linkRma': { minRole: 'lead' },
  'parcel.reopen': { minRole: 'lead' },
  // Review photos can show a customer's belongings; leads review, staff only take them.
  'photo.get': { minRole: 'lead', input: () => ({ sha256: 'a'.repeat(64) }) },
  // The customer's own declaration photos: the grader at the bench compares them with the item.
  'photo.customer': { minRole: 'staff', input: () => ({ sha256: 'a'.repeat(64) }) },
  'review.list': { minRole: 'lead' },
  'review.get': { minRole: 'lead' },
  'review.approve': { minRole: 'lead' },
  'review.override': { minRole: 'lead', input: () => ({ itemId: UUID, grade: 'B', reason: 'matrix check of roles' }) },
  'review.bulkApprove': { minRole: 'lead' },
  // Issue 15: whoever works the bench puts the new label on an item a lead at the site hub re-routed.
  'review.relabelList': { minRole: 'staff' },
  'review.relabelDone': { minRole: 'staff' },
  'review.relabelPrint': { minRole: 'staff' },
  'rules.dryRun': { minRole: 'lead' },
  'devices.detect': { minRole: 'lead' },
  'devices.testPrint': { minRole: 'lead' },
  'devices.config': { minRole: 'lead' },
  'devices.configure': { minRole: 'lead' },
  // No printer: the matrix's bench keeps printing nowhere rather than at an address the generic builder made up.
  'devices.configurePrinter': { minRole: 'lead', input: () => ({ transport: 'none' }) },
  'sync.deadLetters': { minRole: 'lead' },
  'sync.retryDeadLetter': { minRole: 'lead' },
  'sync.skipDeadLetter': { minRole: 'lead' },
  'reports.summary': { minRole: 'lead' },
  'reports.config': { minRole: 'lead' },
  'dashboard.shift': { minRole: 'lead' },
  // Issue 15: the site's benches (answered by the hub; a bench says it has no site view).
  'benches.list': { minRole: 'lead' },
  'tote.flags': { minRole: 'lead' },
  'tote.acknowledgeFlag': { minRole: 'lead', input: () => ({ id: 1 }) },

  // Supervisors change what every bench does (routing rules) and what leaves the station (exports).
  'rules.publish': { minRole: 'supervisor' },
  'reports.export': { minRole: 'supervisor' },
  'reports.cancelExport': { minRole: 'supervisor' },
  // Point exports at the test's scratch folder, never at a real one.
  'reports.setExportFolder': { minRole: 'supervisor', input: ({ scratchDir }) => ({ folder: scratchDir }) },
  // Who may use the bench at all.
  'operators.list': { minRole: 'supervisor' },
  'operators.enrol': { minRole: 'supervisor', input: () => ({ badge: 'MATRIX-1', name: 'Matrix', role: 'staff', pin: '5678', pinRepeat: '5678' }) },
  // An id no operator has: the gate is what is being tested, not the change.
  'operators.setDisabled': { minRole: 'supervisor', input: () => ({ operatorId: 'op-matrix-none', disabled: true }) },
  'operators.resetPin': { minRole: 'supervisor', input: () => ({ operatorId: 'op-matrix-none', pin: '5678', pinRepeat: '5678' }) },
};

/** The minimum role a call's `access` grants, or null when the roles it lists are not "this role and above". */
export function minRoleOf(access: 'public' | readonly Role[]): MinRole | null {
  if (access === 'public') return 'public';
  const lowest = ROLE_ORDER.findIndex((r) => access.includes(r));
  if (lowest < 0) return null;
  const upwardClosed = ROLE_ORDER.slice(lowest).every((r) => access.includes(r));
  return upwardClosed ? (ROLE_ORDER[lowest] ?? null) : null;
}

export function roleAllowed(minRole: MinRole, role: Role | null): boolean {
  if (minRole === 'public') return true;
  if (role === null) return false;
  return ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf(minRole);
}
