/**
 * CRC-16/ARC, the DSMR P1 telegram check (DSMR 5.0.2 §6.2: polynomial x16+x15+x2+1, no XOR in or
 * out, least significant bit first): poly 0xA001 reflected, init 0, check("123456789") = 0xBB3D.
 * @module
 */
const TABLE = /* @__PURE__ */ (() => {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-16/ARC of `bytes[start, end)`. */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[i]!) & 0xff]!;
  return crc;
}

/** The CRC as it goes on the wire: 4 upper-case hex digits, MSB first. */
export function crcDigits(crc: number): string {
  return crc.toString(16).toUpperCase().padStart(4, '0');
}
