import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../db/connection.js';
import { findItem } from '../../db/repositories/items.js';
import { insertPhoto, linkPhoto, photoExists } from '../../db/repositories/photos.js';
import { appendAudit } from '../../db/repositories/audit.js';
import { MAX_PHOTO_BYTES } from '../contract/index.js';
import { StationError } from './errors.js';
import type { SignedInOperator } from './session.js';


const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(buf: Buffer, magic: readonly number[]): boolean {
  return buf.length >= magic.length && magic.every((b, i) => buf[i] === b);
}

/** The image type by its first bytes, whatever the caller claims. */
export function sniffImage(buf: Buffer): 'image/jpeg' | 'image/png' | null {
  if (startsWith(buf, JPEG)) return 'image/jpeg';
  if (startsWith(buf, PNG)) return 'image/png';
  return null;
}

/** dataDir/blobs/ab/cdef…: two hex digits of fan-out keep directories small. */
export function blobPath(dataDir: string, sha256: string): string {
  return join(dataDir, 'blobs', sha256.slice(0, 2), sha256.slice(2));
}

export interface PhotoServiceDeps {
  db: Db;
  dataDir: string;
  now?: () => Date;
}

export interface StoredPhoto {
  sha256: string;
  mime: 'image/jpeg' | 'image/png';
  bytes: number;
}

/** Webcam photos, stored content-addressed on disk; rows link them to items. */
export class PhotoService {
  private readonly now: () => Date;

  constructor(private readonly deps: PhotoServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  attach(op: SignedInOperator, base64: string, itemId: string | undefined): StoredPhoto {
    const { db } = this.deps;
    const data = Buffer.from(base64.replace(/^data:image\/(?:jpeg|png);base64,/, ''), 'base64');
    if (data.length === 0) throw new StationError('INVALID_INPUT', 'error.photoEmpty', 'The photo is empty: take it again.');
    if (data.length > MAX_PHOTO_BYTES) {
      throw new StationError('INVALID_INPUT', 'error.photoTooLarge', 'The photo is larger than 5 MB: take it at a lower resolution.', { bytes: data.length });
    }
    const mime = sniffImage(data);
    if (!mime) throw new StationError('INVALID_INPUT', 'error.photoNotImage', 'This is not a JPEG or PNG photo.');
    if (itemId !== undefined && !findItem(db, itemId)) throw new StationError('NOT_FOUND', 'error.noItem', 'That item is not known at this station.');

    const sha256 = createHash('sha256').update(data).digest('hex');
    const path = blobPath(this.deps.dataDir, sha256);
    if (!existsSync(path)) {
      mkdirSync(join(path, '..'), { recursive: true });
      // Written under a temporary name and renamed, so a crash never leaves a half photo under its hash.
      const tmp = `${path}.${randomUUID()}.tmp`;
      writeFileSync(tmp, data, { flag: 'wx' });
      renameSync(tmp, path);
    }
    const at = this.now().toISOString();
    db.transaction(() => {
      insertPhoto(db, { sha256, mime, bytes: data.length, createdAt: at, createdBy: op.id });
      if (itemId !== undefined) {
        linkPhoto(db, itemId, sha256, op.id, at);
        appendAudit(db, { operatorId: op.id, action: 'photo.attached', entity: `item:${itemId}`, after: { sha256 }, at });
      }
    })();
    return { sha256, mime, bytes: data.length };
  }

  /** A stored photo's bytes; the type is sniffed again so a tampered blob is never served as an image. */
  get(sha256: string): { mime: 'image/jpeg' | 'image/png'; dataBase64: string } {
    const unknown = () => new StationError('NOT_FOUND', 'error.photoUnknown', 'This photo is not stored at this station.', { sha256 });
    // The hash is checked against the table before it becomes part of a path.
    if (!/^[0-9a-f]{64}$/.test(sha256) || !photoExists(this.deps.db, sha256)) throw unknown();
    const path = blobPath(this.deps.dataDir, sha256);
    if (!existsSync(path)) throw unknown();
    const data = readFileSync(path);
    const mime = sniffImage(data);
    if (!mime) throw unknown();
    return { mime, dataBase64: data.toString('base64') };
  }

  /** Refuses hashes that were never uploaded (item.grade links photos by hash). */
  requireKnown(hashes: readonly string[]): void {
    for (const h of hashes) {
      if (!photoExists(this.deps.db, h)) throw new StationError('NOT_FOUND', 'error.photoUnknown', 'A photo was not received by the station: take it again.', { sha256: h });
    }
  }
}
