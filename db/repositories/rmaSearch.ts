import type { Db } from '../connection.js';
import { prepared } from './statements.js';

/** The index's columns: a name and a reading by their words, a phone number by its digits and by them reversed. */
export type SearchField = 'name' | 'kana' | 'phone' | 'phone_reversed';

/** An RMA waiting for its document (migration 015's triggers queue it), with what it is made from. */
export interface QueuedRmaForSearch {
  rmaNumber: string;
  customerName: string;
  customerKana: string;
  customerPhone: string;
}

/** An RMA's document: each field's terms, none of them containing a space. */
export interface RmaSearchDocument {
  rmaNumber: string;
  terms: Record<SearchField, string[]>;
}

/**
 * In RMA-number order, the queue's key: documents are then numbered about as the RMAs were made. CROSS JOIN keeps
 * the queue as the outer loop: the planner chose to walk `rmas` from its start instead, past every RMA already
 * indexed, once per slice (a 1M-RMA queue would take hours).
 */
export function queuedRmasForSearch(db: Db, limit: number): QueuedRmaForSearch[] {
  return prepared(
    db,
    `SELECT r.rma_number AS rmaNumber, r.customer_name AS customerName, r.customer_kana AS customerKana, r.customer_phone AS customerPhone
       FROM rma_search_pending p CROSS JOIN rmas r ON r.rma_number = p.rma_number LIMIT ?`,
  ).all(limit) as QueuedRmaForSearch[];
}

export function queuedForSearchCount(db: Db): number {
  return (prepared(db, 'SELECT count(*) AS n FROM rma_search_pending').get() as { n: number }).n;
}

/**
 * Writes (or replaces) each RMA's document and takes it off the queue, in one transaction, where the RMA still has
 * the name, reading and phone its document was made from. The documents are made outside the transaction (in JS,
 * on whichever thread indexes), and another connection may write the RMA meanwhile: its trigger then finds the RMA
 * still queued and adds nothing, so writing the older terms and taking it off the queue would lose the change.
 * Such an RMA stays queued and is made again from what it holds now; one another thread indexed first is skipped.
 * Returns how many documents were written.
 */
export function writeSearchDocuments(db: Db, docs: readonly { made: RmaSearchDocument; from: QueuedRmaForSearch }[]): number {
  const docOf = prepared(db, 'SELECT doc FROM rma_search_docs WHERE rma_number = ?').pluck();
  const newDoc = prepared(db, 'INSERT INTO rma_search_docs (rma_number) VALUES (?)');
  const write = prepared(db, 'INSERT OR REPLACE INTO rma_search (rowid, name, kana, phone, phone_reversed) VALUES (?, ?, ?, ?, ?)');
  const done = prepared(
    db,
    `DELETE FROM rma_search_pending
      WHERE rma_number = @rmaNumber
        AND EXISTS (SELECT 1 FROM rmas WHERE rma_number = @rmaNumber AND customer_name IS @customerName AND customer_kana IS @customerKana AND customer_phone IS @customerPhone)`,
  );
  return db.transaction(() => {
    let written = 0;
    for (const { made, from } of docs) {
      if (done.run(from).changes === 0) continue;
      const doc = (docOf.get(made.rmaNumber) as number | undefined) ?? Number(newDoc.run(made.rmaNumber).lastInsertRowid);
      write.run(doc, made.terms.name.join(' '), made.terms.kana.join(' '), made.terms.phone.join(' '), made.terms.phone_reversed.join(' '));
      written++;
    }
    return written;
  })();
}

export interface TermMatch {
  rmaNumber: string;
  /** A term equal to the query (else one starting with it). */
  exact: boolean;
}

/**
 * Matches of each kind read at most: the newest documents first. A query as short as one character may match
 * most of a site's RMAs; ranking them all by status and date took 170–360 ms at 1M, 2,000 of each 20–50 ms, and
 * each match costs two index reads (its document, its RMA). Past this many the operator is asked to narrow anyway.
 */
export const MAX_TERM_MATCHES = 200;

// The column is named in the MATCH text (`name : "…"`), so one statement serves every field. `@exact` is 1 for the
// equal terms' query and 0 for the prefix's; the RMAs already found equal are left out of the second.
const BY_TERM = `SELECT d.rma_number AS rmaNumber
     FROM (SELECT rowid AS doc FROM rma_search WHERE rma_search MATCH @match ORDER BY rowid DESC LIMIT ${MAX_TERM_MATCHES}) AS h
     JOIN rma_search_docs d ON d.doc = h.doc
     JOIN rmas r ON r.rma_number = d.rma_number
    WHERE d.rma_number NOT IN (SELECT value FROM json_each(@except))
    ORDER BY r.status = 'open' DESC, r.created_at DESC
    LIMIT @limit`;

/** The query's text as one FTS5 string: what the operator typed is never read as query syntax. */
const ftsString = (text: string): string => `"${text.replaceAll('"', '""')}"`;

/**
 * RMAs with a term of `field` equal to `text` or starting with it, best first as the blind search ranks them: an
 * equal term, then open RMAs, then the newest (among the newest MAX_TERM_MATCHES of each kind). The RMAs starting
 * with it are read only when fewer than `limit` are equal: they rank below every equal one.
 */
export function rmasByTermPrefix(db: Db, field: SearchField, text: string, limit: number): TermMatch[] {
  if (!text.trim()) return [];
  const query = prepared(db, BY_TERM);
  const read = (match: string, except: string[], n: number): string[] =>
    (query.all({ match, except: JSON.stringify(except), limit: n }) as { rmaNumber: string }[]).map((r) => r.rmaNumber);
  const equal = read(`${field} : ${ftsString(text)}`, [], limit);
  const starting = equal.length < limit ? read(`${field} : ${ftsString(text)} *`, equal, limit - equal.length) : [];
  return [...equal.map((rmaNumber) => ({ rmaNumber, exact: true })), ...starting.map((rmaNumber) => ({ rmaNumber, exact: false }))];
}

/** RMA numbers whose order or tracking number is exactly this (both indexed). */
export function rmaNumbersByOrderOrTracking(db: Db, orderNumber: string, trackingNumber: string, limit: number): { rmaNumber: string; on: 'order' | 'tracking' }[] {
  return prepared(
    db,
    `SELECT rma_number AS rmaNumber, 'order' AS "on" FROM rmas WHERE order_number = @orderNumber
     UNION ALL
     SELECT rma_number, 'tracking' FROM rmas WHERE tracking_number = @trackingNumber
     LIMIT @limit`,
  ).all({ orderNumber, trackingNumber, limit }) as { rmaNumber: string; on: 'order' | 'tracking' }[];
}

/** What the blind search ranks an RMA by, besides how well it matched. */
export function rmaRankKey(db: Db, rmaNumber: string): { status: string; createdAt: string } | undefined {
  return prepared(db, 'SELECT status, created_at AS createdAt FROM rmas WHERE rma_number = ?').get(rmaNumber) as { status: string; createdAt: string } | undefined;
}
