// Public surface of the RFID drivers for the device manager.
export { ChafonReader, type ChafonReaderOptions } from './chafon.js';
export { buildInventoryCommand, ChafonFrameDecoder, parseInventoryResponse, type ChafonDialect, type ChafonTag } from './chafonFrames.js';
export { RfidError, isRfidError, type RfidErrorReason } from './errors.js';
export { LineReader, parseTagLine, type LineReaderOptions } from './lineReader.js';
export { LlrpReader, type LlrpReaderOptions } from './llrp/client.js';
export {
  TagDeduper,
  collectParcel,
  dedupeReads,
  makeTagRead,
  normalizeEpcHex,
  type CollectOptions,
  type DedupeOptions,
  type ParcelRead,
  type ParcelTag,
  type RfidReader,
  type RfidReaderStatus,
  type TagRead,
} from './tagReads.js';
