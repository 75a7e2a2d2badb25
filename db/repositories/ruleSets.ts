import type { Db } from '../connection.js';

export interface RuleSetRow {
  version: number;
  status: 'draft' | 'published' | 'retired';
  body_json: string;
  created_by: string | null;
  created_at: string;
  published_by: string | null;
  published_at: string | null;
  note: string | null;
}

export function publishedRuleSet(db: Db): RuleSetRow | undefined {
  return db.prepare("SELECT * FROM rule_sets WHERE status = 'published'").get() as RuleSetRow | undefined;
}

export function ruleSetHistory(db: Db, limit = 50): RuleSetRow[] {
  return db.prepare('SELECT * FROM rule_sets ORDER BY version DESC LIMIT ?').all(limit) as RuleSetRow[];
}

export function maxRuleSetVersion(db: Db): number {
  return (db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM rule_sets').get() as { v: number }).v;
}

/**
 * Makes `version` the one published rule set and retires the previous one. Call inside a transaction;
 * the body must already be validated.
 */
export function insertPublishedRuleSet(
  db: Db,
  r: { version: number; bodyJson: string; by: string | null; at: string; note: string | null },
): void {
  db.prepare("UPDATE rule_sets SET status = 'retired' WHERE status = 'published'").run();
  db.prepare(
    "INSERT INTO rule_sets (version, status, body_json, created_by, created_at, published_by, published_at, note) VALUES (?, 'published', ?, ?, ?, ?, ?, ?)",
  ).run(r.version, r.bodyJson, r.by, r.at, r.by, r.at, r.note);
}

/** The stored body of one published (or retired) version, or undefined when this station never stored it. */
export function ruleSetBodyOf(db: Db, version: number): string | undefined {
  const row: unknown = db.prepare('SELECT body_json FROM rule_sets WHERE version = ?').get(version);
  return row !== undefined && typeof row === 'object' && row !== null && 'body_json' in row && typeof row.body_json === 'string' ? row.body_json : undefined;
}
