import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { Db } from '../../db/connection.js';
import { findItem } from '../../db/repositories/items.js';
import { insertPhoto, linkPhoto, photoExists } from '../../db/repositories/photos.js';
import { customerPhotoStored } from '../../db/repositories/customerPhotos.js';
import { appendAudit } from '../../db/repositories/audit.js';
import { MAX_PHOTO_BYTES } from '../../contract/index.js';
import { StationError } from './errors.js';
import type { SignedInOperator } from './session.js';
import type { photoCalls } from '../../contract/calls/photo.js';
import { signedIn, type CallsOf, type HandlersFor } from './dispatch.js';


const JPEG = [0xff, 0xd8, 0xff];
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(buf: Buffer, magic: readonly number[]): boolean {
  return buf.length >= magic.length && magic.every((b, i) => buf[i] === b);
}

/** The image type by its first bytes, whatever the caller claims. */
export function sniffImage(buf: Buffer): 'image/jpeg' | 'image/png' | null {
  if (startsWith(buf, JPEG)) return 'image/jpeg';
  if (startsWith(buf, PNG_MAGIC)) return 'image/png';
  return null;
}

/** Smallest and largest photo a webcam on the bench takes; outside it is a broken capture or a decompression bomb. */
export const PHOTO_MIN_SIDE = 16;
export const PHOTO_MAX_SIDE = 12_000;
export const PHOTO_MAX_PIXELS = 50_000_000;

class Unreadable extends Error {}

/** Width and height from a JPEG's start-of-frame, walking its marker segments up to the scan (which must follow). */
function jpegSize(buf: Buffer): { width: number; height: number } {
  let at = 2;
  let size: { width: number; height: number } | null = null;
  while (at + 4 <= buf.length) {
    if (buf[at] !== 0xff) throw new Unreadable('JPEG marker expected');
    const marker = buf[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    const length = buf.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > buf.length) throw new Unreadable('JPEG segment runs past the end');
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (length < 7) throw new Unreadable('JPEG frame header too short');
      size = { height: buf.readUInt16BE(at + 5), width: buf.readUInt16BE(at + 7) };
    }
    if (marker === 0xda) {
      // Start of scan: the image data follows; a photo that stops here is incomplete.
      if (!size) throw new Unreadable('JPEG scan before a frame header');
      if (buf.length < at + 2 + length + 2) throw new Unreadable('JPEG has no image data');
      return size;
    }
    at += 2 + length;
  }
  throw new Unreadable('JPEG ends before its image data');
}

/** Width and height from a PNG's IHDR, then a full decode (chunk CRCs, zlib data, row count) with pngjs. */
function pngSize(buf: Buffer): { width: number; height: number } {
  if (buf.length < 33 || buf.toString('latin1', 12, 16) !== 'IHDR') throw new Unreadable('PNG without a header chunk');
  const size = { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
  // Checked before decoding, so a tiny file claiming a huge image never gets its pixels allocated.
  checkSize(size);
  try {
    PNG.sync.read(buf);
  } catch (err) {
    throw new Unreadable(`PNG does not decode: ${err instanceof Error ? err.message : String(err)}`);
  }
  return size;
}

function checkSize({ width, height }: { width: number; height: number }): void {
  if (width < PHOTO_MIN_SIDE || height < PHOTO_MIN_SIDE) {
    throw new StationError('INVALID_INPUT', 'error.photoTooSmall', `The photo is too small (${width}×${height} pixels): take it again.`, { width, height });
  }
  if (width > PHOTO_MAX_SIDE || height > PHOTO_MAX_SIDE || width * height > PHOTO_MAX_PIXELS) {
    throw new StationError('INVALID_INPUT', 'error.photoTooBig', `The photo has too many pixels (${width}×${height}): take it at a lower resolution.`, { width, height });
  }
}

/** The photo's type and size, after reading it as an image; refuses anything that only starts like one. */
export function inspectImage(buf: Buffer): { mime: 'image/jpeg' | 'image/png'; width: number; height: number } {
  const mime = sniffImage(buf);
  if (!mime) throw new StationError('INVALID_INPUT', 'error.photoNotImage', 'This is not a JPEG or PNG photo.');
  try {
    const size = mime === 'image/png' ? pngSize(buf) : jpegSize(buf);
    checkSize(size);
    return { mime, ...size };
  } catch (err) {
    if (err instanceof Unreadable || err instanceof RangeError) {
      throw new StationError('INVALID_INPUT', 'error.photoUnreadable', 'This photo cannot be read (damaged or incomplete): take it again.');
    }
    throw err;
  }
}

/** dataDir/blobs/ab/cdef…: two hex digits of fan-out keep directories small. */
export function blobPath(dataDir: string, sha256: string): string {
  return join(dataDir, 'blobs', sha256.slice(0, 2), sha256.slice(2));
}

/**
 * Stores a photo fetched from the WMS (a customer's) under its hash, after the same image checks as a
 * bench photo; throws StationError when it is not a readable image.
 */
export function storeFetchedPhoto(dataDir: string, sha256: string, data: Buffer): 'image/jpeg' | 'image/png' {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new RangeError('not a sha256');
  const { mime } = inspectImage(data);
  writeBlob(dataDir, sha256, data);
  return mime;
}

function writeBlob(dataDir: string, sha256: string, data: Buffer): void {
  const path = blobPath(dataDir, sha256);
  if (existsSync(path)) return;
  mkdirSync(join(path, '..'), { recursive: true });
  // Written under a temporary name and renamed, so a crash never leaves a half photo under its hash.
  const tmp = `${path}.${randomUUID()}.tmp`;
  writeFileSync(tmp, data, { flag: 'wx' });
  renameSync(tmp, path);
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
    const { mime } = inspectImage(data);
    if (itemId !== undefined && !findItem(db, itemId)) throw new StationError('NOT_FOUND', 'error.noItem', 'That item is not known at this station.');

    const sha256 = createHash('sha256').update(data).digest('hex');
    writeBlob(this.deps.dataDir, sha256, data);
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
    return this.read(sha256, (h) => photoExists(this.deps.db, h) || customerPhotoStored(this.deps.db, h));
  }

  /** Only a customer's declaration photo: what staff at the bench may see. */
  getCustomer(sha256: string): { mime: 'image/jpeg' | 'image/png'; dataBase64: string } {
    return this.read(sha256, (h) => customerPhotoStored(this.deps.db, h));
  }

  private read(sha256: string, known: (sha256: string) => boolean): { mime: 'image/jpeg' | 'image/png'; dataBase64: string } {
    const unknown = () => new StationError('NOT_FOUND', 'error.photoUnknown', 'This photo is not stored at this station.', { sha256 });
    // The hash is checked against the table before it becomes part of a path.
    if (!/^[0-9a-f]{64}$/.test(sha256) || !known(sha256)) throw unknown();
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

export function photoHandlers(photos: PhotoService): HandlersFor<CallsOf<typeof photoCalls>> {
  return {
    'photo.attach': (ctx, i) => photos.attach(signedIn(ctx), i.dataBase64, i.itemId),
    'photo.get': (_ctx, i) => photos.get(i.sha256),
    'photo.customer': (_ctx, i) => photos.getCustomer(i.sha256),
  };
}
