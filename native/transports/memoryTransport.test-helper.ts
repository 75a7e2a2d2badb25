// An in-memory ByteTransport: what a driver sees of a device, without a port. Used by unit
// tests and by the preview to feed drivers recorded bytes.
import type { ByteTransport, TransportState, TransportStatus } from './serial.js';

export class MemoryTransport implements ByteTransport {
  readonly written: Buffer[] = [];
  private current: TransportStatus = { state: 'stopped', since: 0 };
  private readonly dataListeners = new Set<(chunk: Buffer) => void>();
  private readonly statusListeners = new Set<(status: TransportStatus) => void>();
  /** Called for every write; lets a test answer like the device would. */
  onWrite: ((data: Buffer) => void) | null = null;

  constructor(readonly label = 'memory') {}

  start(): void {
    this.setState('connected');
  }
  whenConnected(): Promise<void> {
    return this.current.state === 'connected' ? Promise.resolve() : Promise.reject(new Error(`${this.label} is ${this.current.state}`));
  }
  write(data: Buffer | string): Promise<void> {
    if (this.current.state !== 'connected') return Promise.reject(new Error(`${this.label} is not connected`));
    const buf = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    this.written.push(buf);
    this.onWrite?.(buf);
    return Promise.resolve();
  }
  close(): Promise<void> {
    this.setState('stopped');
    return Promise.resolve();
  }
  status(): TransportStatus {
    return { ...this.current };
  }
  onData(listener: (chunk: Buffer) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }
  onStatus(listener: (status: TransportStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** The device sends bytes. */
  receive(bytes: Buffer | string): void {
    const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
    for (const l of this.dataListeners) l(buf);
  }

  setState(state: TransportState, reason?: string): void {
    this.current = reason === undefined ? { state, since: Date.now() } : { state, reason, since: Date.now() };
    for (const l of this.statusListeners) l({ ...this.current });
  }
}
