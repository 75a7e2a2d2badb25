// Raw WebSocket frames for the preview's /api/events socket, written byte by byte over TCP, so the station's
// answer to malformed frames is tested without a client library that would refuse to send them.
// Used by tests/security/wsFrames.test.ts and `npm run fuzz` (scripts/fuzz.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { MAX_WS_MESSAGE_BYTES } from '../../contract/index.js';

export const PREVIEW_CHILD = fileURLToPath(new URL('./previewChild.ts', import.meta.url));
export const CHILD_TOKEN = 'ws-fuzz-token-abcdefghijkl';

interface FrameSpec {
  fin?: boolean;
  rsv?: number;
  opcode: number;
  payload: Buffer;
  masked?: boolean;
  /** Claim this length in the header instead of the payload's. */
  claimedLength?: bigint;
}

/** One frame as RFC 6455 lays it out; client frames are masked unless told otherwise. */
export function frame(spec: FrameSpec): Buffer {
  const masked = spec.masked ?? true;
  const length = spec.claimedLength ?? BigInt(spec.payload.length);
  const head: number[] = [((spec.fin ?? true) ? 0x80 : 0) | ((spec.rsv ?? 0) << 4) | (spec.opcode & 0x0f)];
  const maskBit = masked ? 0x80 : 0;
  let ext = Buffer.alloc(0);
  if (length < 126n) head.push(maskBit | Number(length));
  else if (length < 65536n) {
    head.push(maskBit | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(Number(length));
  } else {
    head.push(maskBit | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(length);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), ext, spec.payload]);
  const key = randomBytes(4);
  const body = Buffer.from(spec.payload);
  for (let i = 0; i < body.length; i++) body[i] = (body[i] ?? 0) ^ (key[i % 4] ?? 0);
  return Buffer.concat([Buffer.from(head), ext, key, body]);
}

/** The eight frames that each took the station process down (issue 12). */
export const HOSTILE_WS_FRAMES: ReadonlyArray<{ name: string; bytes: Buffer }> = [
  { name: 'a 200 KB message (limit 64 KB)', bytes: frame({ opcode: 1, payload: Buffer.alloc(200 * 1024, 0x61) }) },
  { name: 'an unmasked frame', bytes: frame({ opcode: 1, payload: Buffer.from('hello'), masked: false }) },
  { name: 'invalid UTF-8 in a text frame', bytes: frame({ opcode: 1, payload: Buffer.from([0xc3, 0x28, 0xff, 0xfe]) }) },
  { name: 'a reserved opcode (0x3)', bytes: frame({ opcode: 3, payload: Buffer.from('x') }) },
  { name: 'RSV1 set without an extension', bytes: frame({ rsv: 4, opcode: 1, payload: Buffer.from('x') }) },
  { name: 'close code 999', bytes: frame({ opcode: 8, payload: Buffer.from([0x03, 0xe7]) }) },
  { name: 'a 200-byte ping (control frames ≤ 125)', bytes: frame({ opcode: 9, payload: Buffer.alloc(200, 0x70) }) },
  { name: 'a header claiming 4 GB', bytes: frame({ opcode: 2, payload: Buffer.alloc(16), claimedLength: 2n ** 32n }) },
];

/** Random frames: well-formed headers with odd fields, and plain garbage after the handshake. */
export const wsFrameArbitrary: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .record({
      fin: fc.boolean(),
      rsv: fc.integer({ min: 0, max: 7 }),
      opcode: fc.integer({ min: 0, max: 15 }),
      payload: fc.uint8Array({ maxLength: 300 }),
      masked: fc.boolean(),
      claimedLength: fc.option(fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), fc.constantFrom(BigInt(MAX_WS_MESSAGE_BYTES + 1), 2n ** 32n)), { nil: undefined }),
    })
    .map((f) => frame({ ...f, payload: Buffer.from(f.payload) })),
  fc.uint8Array({ minLength: 1, maxLength: 400 }).map((b) => Buffer.from(b)),
);

/** Opens /api/events with a valid token and session, then resolves with the socket (the 101 already read). */
export function openEventsSocket(port: number, token = CHILD_TOKEN): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', reject);
    socket.once('connect', () => {
      socket.write(
        [
          'GET /api/events?session=fuzz-session-01 HTTP/1.1',
          `Host: 127.0.0.1:${port}`,
          'Connection: Upgrade',
          'Upgrade: websocket',
          'Sec-WebSocket-Version: 13',
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
          `Authorization: Bearer ${token}`,
          '',
          '',
        ].join('\r\n'),
      );
    });
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (!head.startsWith('HTTP/1.1 101')) reject(new Error(`upgrade refused: ${head.split('\r\n')[0] ?? ''}`));
      else resolve(socket);
    };
    socket.on('data', onData);
  });
}

/** Sends one frame on a fresh socket and waits until the server closes it (or a short while passes). */
export async function sendFrame(port: number, bytes: Buffer, token = CHILD_TOKEN): Promise<void> {
  const socket = await openEventsSocket(port, token);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve();
    }, 500);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.resume();
    socket.write(bytes);
  });
}

/** GET / with the token: the preview's answer, or the error that stood for it. */
export async function previewAnswers(port: number, token = CHILD_TOKEN): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status;
}

export interface PreviewChild {
  port: number;
  child: ChildProcess;
  /** Everything the child wrote to stderr (an uncaught exception ends up here). */
  stderr(): string;
  stop(): Promise<void>;
}

/** The preview server in a process of its own, so "the station stays up" is a process that is still running. */
export function startPreviewChild(): Promise<PreviewChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', PREVIEW_CHILD, CHILD_TOKEN], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`preview child exited (${String(code)}): ${err}`)));
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /^port (\d+)$/m.exec(out);
      if (!m) return;
      child.removeAllListeners('exit');
      resolve({
        port: Number(m[1]),
        child,
        stderr: () => err,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
