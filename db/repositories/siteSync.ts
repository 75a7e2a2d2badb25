// Issue 15: what the bench keeps of the site hub: its copy of the site roster and the hub's review decisions.
import type { RosterEntry, SiteDecision } from '../../contract/index.js';
import type { Db } from '../connection.js';

type SiteCursor = 'site.roster' | 'site.decisions';

/** The last rev (roster) or seq (decisions) applied; 0 before the first pull. Kept in sync_cursors beside the reference data's. */
export function siteCursor(db: Db, resource: SiteCursor): number {
  const row = db.prepare('SELECT updated_since AS v FROM sync_cursors WHERE resource = ?').get(resource) as { v: string } | undefined;
  return row ? Number(row.v) : 0;
}

function setSiteCursor(db: Db, resource: SiteCursor, value: number): void {
  db.prepare(
    `INSERT INTO sync_cursors (resource, updated_since, after_id) VALUES (?, ?, '')
     ON CONFLICT (resource) DO UPDATE SET updated_since = excluded.updated_since`,
  ).run(resource, String(value));
}

interface LocalOperator {
  id: string;
  badge: string;
  pin_hash: string;
  disabled_at: string | null;
}

/** A bench operator whose badge the site gave to someone else (applyRosterPage's `setAside`): kept for the history, not on the roster. */
export function isSetAside(op: { id: string; badge: string; disabled: boolean }): boolean {
  return op.disabled && op.badge.endsWith(`~${op.id}`);
}

/**
 * Applies one page of the site roster and its cursor in one transaction. The hub is the authority on every
 * badge: a bench operator enrolled locally before the bench joined the site, whose badge the site gives to
 * someone, keeps their rows (items and audit name them) but is disabled, with the badge set aside.
 * Returns the ids of operators this page disabled, whose sessions must end now.
 */
export function applyRosterPage(db: Db, entries: readonly RosterEntry[], at: string): string[] {
  const byId = db.prepare('SELECT id, badge, pin_hash, disabled_at FROM operators WHERE id = ?');
  const byBadge = db.prepare('SELECT id, badge, pin_hash, disabled_at FROM operators WHERE badge = ?');
  const setAside = db.prepare("UPDATE operators SET badge = badge || '~' || id, disabled_at = COALESCE(disabled_at, ?) WHERE id = ?");
  const insert = db.prepare('INSERT INTO operators (id, badge, name, role, pin_hash, disabled_at) VALUES (?, ?, ?, ?, ?, ?)');
  const update = db.prepare(
    `UPDATE operators SET badge = @badge, name = @name, role = @role, pin_hash = @pinHash, disabled_at = @disabledAt,
            failed_pins = CASE WHEN pin_hash = @pinHash THEN failed_pins ELSE 0 END,
            locked_until = CASE WHEN pin_hash = @pinHash THEN locked_until ELSE NULL END
      WHERE id = @id`,
  );
  const disabledNow: string[] = [];
  db.transaction(() => {
    for (const e of entries) {
      const holder = byBadge.get(e.badge) as LocalOperator | undefined;
      if (holder && holder.id !== e.id) {
        setAside.run(at, holder.id);
        if (holder.disabled_at === null) disabledNow.push(holder.id);
      }
      const mine = byId.get(e.id) as LocalOperator | undefined;
      const disabledAt = e.disabled ? (mine?.disabled_at ?? at) : null;
      if (mine) update.run({ id: e.id, badge: e.badge, name: e.name, role: e.role, pinHash: e.pinHash, disabledAt });
      else insert.run(e.id, e.badge, e.name, e.role, e.pinHash, disabledAt);
      if (e.disabled && (!mine || mine.disabled_at === null)) disabledNow.push(e.id);
    }
    const last = entries.at(-1);
    if (last) setSiteCursor(db, 'site.roster', last.rev);
  })();
  return disabledNow;
}

export interface AppliedDecision {
  itemId: string;
  lpn: string;
  relabel: boolean;
}

/**
 * Applies the hub's decisions about this bench's items, with the cursor, in one transaction. They are the
 * WMS's already (the hub relayed them), so no event is appended here. An override that changes the
 * disposition or destination puts the item on the relabel list: the label on its box says the old one.
 * An item only the site flagged (issue 15: a serial returner, an RMA received twice…) was never held here
 * (`none`): the hub's decision about it lands too. One this bench's lead already decided does not.
 */
export function applySiteDecisions(db: Db, decisions: readonly SiteDecision[], at: string): AppliedDecision[] {
  const item = db.prepare('SELECT id, lpn, disposition, destination FROM items WHERE id = ?');
  const decide = db.prepare(
    `UPDATE items SET review_status = @status, reviewed_by = @by, reviewed_at = @decidedAt, review_reason = @reason,
            grade = COALESCE(@grade, grade), disposition = COALESCE(@disposition, disposition), destination = COALESCE(@destination, destination),
            relabel_since = CASE WHEN @relabel THEN @at ELSE relabel_since END
      WHERE id = @id AND review_status IN ('pending', 'none')`,
  );
  const knownOperator = db.prepare('SELECT 1 FROM operators WHERE id = ?');
  const applied: AppliedDecision[] = [];
  db.transaction(() => {
    for (const d of decisions) {
      const row = item.get(d.itemId) as { id: string; lpn: string; disposition: string; destination: string } | undefined;
      if (!row) continue;
      const relabel = d.kind === 'overridden' && d.after !== null && (d.after.disposition !== row.disposition || d.after.destination !== row.destination);
      const changed = decide.run({
        id: d.itemId,
        status: d.kind,
        // reviewed_by names an operator of this bench's table; the roster holds every site operator, so
        // the lead is there unless the roster pull is behind (then the decision still lands, unattributed).
        by: knownOperator.get(d.operatorId) ? d.operatorId : null,
        decidedAt: d.decidedAt,
        reason: d.reason,
        grade: d.after?.grade ?? null,
        disposition: d.after?.disposition ?? null,
        destination: d.after?.destination ?? null,
        relabel: relabel ? 1 : 0,
        at,
      }).changes;
      if (changed === 1) applied.push({ itemId: d.itemId, lpn: row.lpn, relabel });
    }
    const last = decisions.at(-1);
    if (last) setSiteCursor(db, 'site.decisions', last.seq);
  })();
  return applied;
}

export interface RelabelRow {
  itemId: string;
  lpn: string;
  sku: string;
  grade: string;
  disposition: string;
  destination: string;
  reviewedBy: string | null;
  reviewReason: string | null;
  relabelSince: string;
}

export function listRelabel(db: Db): RelabelRow[] {
  return db
    .prepare(
      `SELECT id AS itemId, lpn, sku, grade, disposition, destination, reviewed_by AS reviewedBy, review_reason AS reviewReason, relabel_since AS relabelSince
       FROM items WHERE relabel_since IS NOT NULL ORDER BY relabel_since, id`,
    )
    .all() as RelabelRow[];
}

/** What a re-routed item's new label shows: its decided routing, the product and its return. */
export interface RelabelFacts {
  lpn: string;
  sku: string;
  grade: string;
  disposition: string;
  destination: string;
  rmaNumber: string | null;
  nameJa: string | null;
  relabelSince: string;
}

export function relabelFacts(db: Db, itemId: string): RelabelFacts | undefined {
  return db
    .prepare(
      `SELECT i.lpn, i.sku, i.grade, i.disposition, i.destination, p.rma_number AS rmaNumber, pr.name_ja AS nameJa, i.relabel_since AS relabelSince
       FROM items i JOIN parcels p ON p.id = i.parcel_id LEFT JOIN products pr ON pr.sku = i.sku
       WHERE i.id = ? AND i.relabel_since IS NOT NULL`,
    )
    .get(itemId) as RelabelFacts | undefined;
}

export function clearRelabel(db: Db, itemId: string): boolean {
  return db.prepare('UPDATE items SET relabel_since = NULL WHERE id = ? AND relabel_since IS NOT NULL').run(itemId).changes === 1;
}
