// Every way an RFID reader's bytes can be wrong, as a value the driver can report without
// throwing: parsers return these, drivers emit them as 'error' events and carry on.

export type RfidErrorReason =
  | 'bad_length' // a length field outside what the protocol allows
  | 'bad_crc' // checksum mismatch
  | 'garbage' // bytes skipped while looking for the next frame
  | 'truncated' // a frame or parameter ends before its declared length
  | 'bad_status' // the reader reported a failure status
  | 'bad_epc' // EPC missing, empty, odd or not hex
  | 'bad_rssi'
  | 'unknown_type' // an LLRP message or parameter type we do not speak
  | 'overflow' // a buffer bound was hit (flood)
  | 'protocol' // well-formed bytes that break the protocol's rules
  | 'timeout'
  | 'io';

export class RfidError extends Error {
  override readonly name = 'RfidError';
  constructor(
    readonly reason: RfidErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isRfidError(e: unknown): e is RfidError {
  return e instanceof RfidError;
}
