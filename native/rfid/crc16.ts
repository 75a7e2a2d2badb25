/**
 * CRC-16 as the Chafon / UHFReader18 / UHFReader288 family computes it over Len..Data:
 * reflected polynomial 0x8408 (0x1021 bit-reversed), preset 0xFFFF, no final XOR — the
 * catalogued CRC-16/MCRF4XX (check value for "123456789" is 0x6F91). The reader sends the
 * result least-significant byte first. Table-driven, because resyncing through garbage
 * computes it at many candidate offsets.
 */
const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? (c >>> 1) ^ 0x8408 : c >>> 1;
    t[n] = c;
  }
  return t;
})();

export function crc16Mcrf4xx(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) {
    crc = (crc >>> 8) ^ (TABLE[(crc ^ (bytes[i] ?? 0)) & 0xff] ?? 0);
  }
  return crc;
}
