import { describe, expect, it } from 'vitest';
import { Utf8Chunks } from './utf8Chunks.js';

function gather(texts: string[], size: number): Buffer[] {
  const chunks = new Utf8Chunks(size);
  const out: Buffer[] = [];
  for (const t of texts) {
    const full = chunks.add(t);
    if (full) out.push(Buffer.from(full));
  }
  const last = chunks.take();
  if (last) out.push(Buffer.from(last));
  return out;
}

describe('Utf8Chunks', () => {
  it('gives back exactly the UTF-8 of every text, in order, across chunk boundaries', () => {
    const texts = Array.from({ length: 500 }, (_, i) => (i % 3 === 0 ? `返品-${i},` : i % 3 === 1 ? `row ${i}\r\n` : `😀${i}`));
    const out = gather(texts, 64);
    expect(out.length).toBeGreaterThan(10);
    expect(Buffer.concat(out).toString('utf8')).toBe(texts.join(''));
    for (const b of out.slice(0, -1)) expect(b.length).toBeLessThanOrEqual(64);
  });

  it('takes a text larger than its buffer whole, in a chunk of its own', () => {
    const big = 'あ'.repeat(100);
    const out = gather(['head', big, 'tail'], 16);
    expect(out.map((b) => b.toString('utf8'))).toEqual(['head', big, 'tail']);
  });

  it('has nothing to take when nothing was added, and chunks handed out are not overwritten later', () => {
    const chunks = new Utf8Chunks(8);
    expect(chunks.take()).toBeNull();
    chunks.add('abcdefgh'.slice(0, 2));
    const first = chunks.take();
    chunks.add('zz');
    expect(Buffer.from(first!).toString()).toBe('ab');
  });
});
