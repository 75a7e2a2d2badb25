// Issue 15: the site's rule set as this bench keeps it (migration 012). The body is validated before it is stored.
import type { Db } from '../connection.js';

export interface SiteRuleSetState {
  currentVersion: number | null;
  lastPulledAt: string | null;
  errorKey: string | null;
  error: string | null;
}

export function siteRuleSetState(db: Db): SiteRuleSetState {
  const row = db
    .prepare('SELECT current_version AS currentVersion, last_pulled_at AS lastPulledAt, error_key AS errorKey, error FROM site_rule_set_state WHERE id = 1')
    .get() as SiteRuleSetState | undefined;
  return row ?? { currentVersion: null, lastPulledAt: null, errorKey: null, error: null };
}

/** The body of the site version that routes here and the site it belongs to (migration 016), or undefined while the bench routes by its own. */
export function currentSiteRuleSet(db: Db): { body: string; siteId: string | null } | undefined {
  return db
    .prepare('SELECT s.body_json AS body, s.site_id AS siteId FROM site_rule_set_state t JOIN site_rule_sets s ON s.version = t.current_version WHERE t.id = 1')
    .get() as { body: string; siteId: string | null } | undefined;
}

export function siteRuleSetBodyOf(db: Db, version: number): string | undefined {
  const row = db.prepare('SELECT body_json AS body FROM site_rule_sets WHERE version = ?').get(version) as { body: string } | undefined;
  return row?.body;
}

export function siteRuleSetVersions(db: Db, limit = 50): { version: number; pulledAt: string }[] {
  return db.prepare('SELECT version, pulled_at AS pulledAt FROM site_rule_sets ORDER BY version DESC LIMIT ?').all(limit) as { version: number; pulledAt: string }[];
}

/** Makes a validated site version the one that routes here, and records the successful pull, in one transaction. */
export function adoptSiteRuleSet(db: Db, version: number, bodyJson: string, at: string, siteId: string | null = null): void {
  db.transaction(() => {
    db.prepare(
      'INSERT INTO site_rule_sets (version, body_json, pulled_at, site_id) VALUES (?, ?, ?, ?) ON CONFLICT (version) DO UPDATE SET site_id = COALESCE(site_rule_sets.site_id, excluded.site_id)',
    ).run(version, bodyJson, at, siteId);
    db.prepare('UPDATE site_rule_set_state SET current_version = ?, last_pulled_at = ?, error_key = NULL, error = NULL WHERE id = 1').run(version, at);
  })();
}

/** The hub named the site of a version pulled before it did (or before migration 016); true when that was news. */
export function recordSiteRuleSetSite(db: Db, version: number, siteId: string): boolean {
  return db.prepare('UPDATE site_rule_sets SET site_id = ? WHERE version = ? AND site_id IS NULL').run(siteId, version).changes > 0;
}

/** The hub answered and nothing changes (same version, or the site has published none). */
export function recordSiteRuleSetPulled(db: Db, at: string): void {
  db.prepare('UPDATE site_rule_set_state SET last_pulled_at = ?, error_key = NULL, error = NULL WHERE id = 1').run(at);
}

/** The last pull failed or was refused: the version in use stays, and the reason is kept for the Rules screen. */
export function recordSiteRuleSetProblem(db: Db, errorKey: string, error: string): void {
  db.prepare('UPDATE site_rule_set_state SET error_key = ?, error = ? WHERE id = 1').run(errorKey, error.slice(0, 500));
}
