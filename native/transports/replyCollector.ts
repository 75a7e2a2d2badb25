// The reply to a status query (ZPL ~HS: three short lines; SATO ENQ: a few bytes). A device that keeps sending
// is misbehaving, not replying: past the limit the exchange ends instead of holding every byte in memory.

export const MAX_STATUS_REPLY_BYTES = 64 * 1024;

export class ReplyCollector {
  private readonly chunks: Buffer[] = [];
  private total = 0;

  constructor(private readonly maxBytes = MAX_STATUS_REPLY_BYTES) {}

  /** The reply so far with `chunk` added, or null once it has grown past the limit. */
  add(chunk: Buffer): Buffer | null {
    this.total += chunk.length;
    if (this.total > this.maxBytes) return null;
    this.chunks.push(chunk);
    return this.reply();
  }

  reply(): Buffer {
    return Buffer.concat(this.chunks, Math.min(this.total, this.maxBytes));
  }

  /** For the error: "more than 64 KB". */
  get limitWords(): string {
    return `${Math.round(this.maxBytes / 1024)} KB`;
  }
}
