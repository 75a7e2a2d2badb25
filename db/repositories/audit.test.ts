import { describe, expect, it } from 'vitest';
import { openDatabase } from '../connection.js';
import { appendAudit, verifyAuditChain } from './audit.js';

describe('audit log', () => {
  it('chains entries and detects a tampered entry', () => {
    const db = openDatabase(':memory:');
    for (let i = 0; i < 5; i++) appendAudit(db, { operatorId: 'OP-1', action: 'item.graded', entity: `item:${i}`, after: { i } });
    expect(verifyAuditChain(db)).toEqual({ ok: true, entries: 5 });
    expect(() => db.prepare('UPDATE audit_log SET action = ? WHERE seq = 3').run('x')).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET after_json = '{\"i\":99}' WHERE seq = 3").run();
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });
});
