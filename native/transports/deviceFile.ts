// A printer as a device file: the kernel's USB printer class driver (/dev/usb/lp0) or a
// parallel port. One-way as far as we use it: bytes go in, no status comes back.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { printerMessage } from '../../contract/printerMessages.js';
import { PrinterError, reasonForErrno, saidForReason } from '../printers/errors.js';

const errnoOf = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;

/**
 * Writes one job to the device. Opened without O_CREAT, so a missing device is an error
 * ('unreachable') rather than a new regular file in /dev. A write the driver does not finish
 * within `timeoutMs` (printer off-line; usblp blocks) is a 'timeout' that may have printed.
 */
export async function writeDeviceFile(path: string, data: Buffer, timeoutMs = 10_000): Promise<void> {
  let handle;
  try {
    handle = await open(path, constants.O_WRONLY | constants.O_NOCTTY);
  } catch (e) {
    const code = errnoOf(e);
    const denied = code === 'EACCES' || code === 'EPERM';
    const hint = denied ? ' (add this user to the "lp" group)' : '';
    const reason = reasonForErrno(code);
    const said = denied ? printerMessage('printer.error.permission', { where: path }) : saidForReason(reason, path, code ?? String(e));
    throw new PrinterError(reason, `${path}: ${code ?? String(e)}${hint}`, false, { cause: e, said });
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    const write = (async () => {
      let offset = 0;
      while (offset < data.length) {
        const { bytesWritten } = await handle.write(data, offset, data.length - offset);
        offset += bytesWritten;
      }
    })();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new PrinterError('timeout', `${path}: the printer did not take the job within ${timeoutMs} ms`, true, {
              said: printerMessage('printer.error.writeTimeout', { where: path, ms: timeoutMs }),
            }),
          ),
        timeoutMs,
      );
    });
    await Promise.race([write, timeout]).catch((e: unknown) => {
      if (e instanceof PrinterError) throw e;
      const code = errnoOf(e);
      const reason = reasonForErrno(code);
      throw new PrinterError(reason, `${path}: write failed: ${code ?? String(e)}`, true, { cause: e, said: saidForReason(reason, path, code ?? String(e)) });
    });
  } finally {
    if (timer) clearTimeout(timer);
    await handle.close().catch(() => undefined);
  }
}
