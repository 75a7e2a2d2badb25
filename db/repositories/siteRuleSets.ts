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

/** The body of the site version that routes here, or undefined while the bench routes by its own. */
export function currentSiteRuleSetBody(db: Db): string | undefined {
  const row = db.prepare('SELECT s.body_json AS body FROM site_rule_set_state t JOIN site_rule_sets s ON s.version = t.current_version WHERE t.id = 1').get() as
    | { body: string }
    | undefined;
  return row?.body;
}

export function siteRuleSetBodyOf(db: Db, version: number): string | undefined {
  const row = db.prepare('SELECT body_json AS body FROM site_rule_sets WHERE version = ?').get(version) as { body: string } | undefined;
  return row?.body;
}

export function siteRuleSetVersions(db: Db, limit = 50): { version: number; pulledAt: string }[] {
  return db.prepare('SELECT version, pulled_at AS pulledAt FROM site_rule_sets ORDER BY version DESC LIMIT ?').all(limit) as { version: number; pulledAt: string }[];
}

/** Makes a validated site version the one that routes here, and records the successful pull, in one transaction. */
export function adoptSiteRuleSet(db: Db, version: number, bodyJson: string, at: string): void {
  db.transaction(() => {
    db.prepare('INSERT INTO site_rule_sets (version, body_json, pulled_at) VALUES (?, ?, ?) ON CONFLICT (version) DO NOTHING').run(version, bodyJson, at);
    db.prepare('UPDATE site_rule_set_state SET current_version = ?, last_pulled_at = ?, error_key = NULL, error = NULL WHERE id = 1').run(version, at);
  })();
}

/** The hub answered and nothing changes (same version, or the site has published none). */
export function recordSiteRuleSetPulled(db: Db, at: string): void {
  db.prepare('UPDATE site_rule_set_state SET last_pulled_at = ?, error_key = NULL, error = NULL WHERE id = 1').run(at);
}

/** The last pull failed or was refused: the version in use stays, and the reason is kept for the Rules screen. */
export function recordSiteRuleSetProblem(db: Db, errorKey: string, error: string): void {
  db.prepare('UPDATE site_rule_set_state SET error_key = ?, error = ? WHERE id = 1').run(errorKey, error.slice(0, 500));
}
