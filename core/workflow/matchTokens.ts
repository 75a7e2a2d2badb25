import { randomBytes } from 'node:crypto';
import type { ItemIdentity } from '../../contract/index.js';
import { StationError } from './errors.js';

/** Who a match was made for: the token only works again for the same sign-in at the same bench client. */
export interface MatchHolder {
  sessionKey: string;
  operatorId: string;
}

/** What a token is bound to, and what the scan said about the unit. */
export interface MatchBinding extends MatchHolder {
  parcelId: string;
  lineId: string;
}

interface Entry extends MatchBinding {
  identity: ItemIdentity;
  expiresAt: number;
}

export interface MatchTokenOptions {
  now?: () => Date;
  /** Long enough to answer the questions and take photos; short enough that a stale scan is not graded later. */
  ttlMinutes?: number;
  /** Bounds memory if a client keeps scanning without grading: the oldest matches go first. */
  maxEntries?: number;
}

const DEFAULT_TTL_MINUTES = 30;
const DEFAULT_MAX_ENTRIES = 5_000;

/**
 * The unit's identity (serial, lot, expiry, EPC) read by parcel.matchItem stays here, in the main process:
 * the renderer gets an opaque, single-use token, so it cannot change what the serial-mismatch or
 * expired-lot flags see. Kept in memory on purpose: a restart loses open matches and the operator scans again.
 */
export class MatchTokens {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => Date;
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(options: MatchTokenOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.ttlMs = (options.ttlMinutes ?? DEFAULT_TTL_MINUTES) * 60_000;
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  issue(binding: MatchBinding, identity: ItemIdentity): string {
    this.sweep();
    const token = randomBytes(24).toString('base64url');
    this.entries.set(token, { ...binding, identity: { ...identity }, expiresAt: this.now().getTime() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    return token;
  }

  /**
   * The identity stored for a token, if the token is live and bound to exactly this grade; it stays
   * usable until `consume`, so a grade refused for a missing photo can be sent again with the same token.
   */
  identityFor(token: string, binding: MatchBinding): ItemIdentity {
    const entry = this.entries.get(token);
    if (!entry || entry.expiresAt <= this.now().getTime()) {
      if (entry) this.entries.delete(token);
      throw new StationError('CONFLICT', 'error.matchExpired', 'This item scan is no longer valid: scan the item again.');
    }
    if (entry.parcelId !== binding.parcelId || entry.lineId !== binding.lineId || entry.sessionKey !== binding.sessionKey || entry.operatorId !== binding.operatorId) {
      throw new StationError('CONFLICT', 'error.matchMismatch', 'This item scan belongs to another item or parcel: scan the item again.');
    }
    return { ...entry.identity };
  }

  /** Spends a token once its grade has committed. */
  consume(token: string): void {
    this.entries.delete(token);
  }

  /** A closed parcel takes its open matches with it. */
  dropParcel(parcelId: string): void {
    for (const [token, e] of this.entries) if (e.parcelId === parcelId) this.entries.delete(token);
  }

  /** Open matches (for tests and the memory bound). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Entries sit in the map in the order they were issued, each with the same time to live, so the expired ones
   * are at the front: stop at the first live one instead of walking up to maxEntries on every scan. (Should the
   * clock step back, an entry left behind is still refused by identityFor, and maxEntries still bounds memory.)
   */
  private sweep(): void {
    const t = this.now().getTime();
    for (const [token, e] of this.entries) {
      if (e.expiresAt > t) break;
      this.entries.delete(token);
    }
  }
}
