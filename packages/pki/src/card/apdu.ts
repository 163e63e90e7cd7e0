/**
 * ISO/IEC 7816-4 short APDUs: command `CLA INS P1 P2 [Lc data] [Le]`, response `data ‖ SW1 SW2`.
 * Extended-length APDUs are not supported (the JPKI AP is driven with short APDUs only).
 */

/** A command APDU. `le` is the decoded Le (1–256; the byte 00 means 256) or `undefined` if absent. */
export interface CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data: Uint8Array;
  readonly le: number | undefined;
}

/** A response APDU split into its data field and the status word `SW1 << 8 | SW2`. */
export interface ResponseApdu {
  readonly data: Uint8Array;
  readonly sw: number;
}

/** Status words used by the JPKI AP (ISO/IEC 7816-4 §5.1.3). */
export const SW = {
  OK: 0x9000,
  END_OF_FILE: 0x6282,
  MEMORY_FAILURE: 0x6581,
  WRONG_LENGTH: 0x6700,
  INCOMPATIBLE_FILE_STRUCTURE: 0x6981,
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  AUTHENTICATION_METHOD_BLOCKED: 0x6983,
  NO_CURRENT_EF: 0x6986,
  FILE_NOT_FOUND: 0x6a82,
  INCORRECT_P1_P2: 0x6a86,
  WRONG_P1_P2: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  NO_PRECISE_DIAGNOSIS: 0x6f00,
} as const;

const SW_NAMES: ReadonlyMap<number, string> = new Map([
  [SW.OK, 'normal processing'],
  [SW.END_OF_FILE, 'end of file reached before reading Le bytes'],
  [SW.MEMORY_FAILURE, 'memory failure'],
  [SW.WRONG_LENGTH, 'wrong length'],
  [SW.INCOMPATIBLE_FILE_STRUCTURE, 'command incompatible with file structure'],
  [SW.SECURITY_STATUS_NOT_SATISFIED, 'security status not satisfied'],
  [SW.AUTHENTICATION_METHOD_BLOCKED, 'authentication method blocked'],
  [SW.NO_CURRENT_EF, 'command not allowed (no current EF)'],
  [SW.FILE_NOT_FOUND, 'file or application not found'],
  [SW.INCORRECT_P1_P2, 'incorrect parameters P1-P2'],
  [SW.WRONG_P1_P2, 'wrong parameters P1-P2 (offset outside the EF)'],
  [SW.INS_NOT_SUPPORTED, 'instruction not supported'],
  [SW.CLA_NOT_SUPPORTED, 'class not supported'],
  [SW.NO_PRECISE_DIAGNOSIS, 'no precise diagnosis'],
]);

/** `63Cx`: verification failed, x tries left (0–15). */
export function swTriesLeft(tries: number): number {
  return 0x63c0 | (tries & 0x0f);
}

/** The tries left carried by a `63Cx` status word, or `undefined` for any other status word. */
export function triesLeftOf(sw: number): number | undefined {
  return (sw & 0xfff0) === 0x63c0 ? sw & 0x0f : undefined;
}

/** `6Cxx`: wrong Le; xx is the exact length available (00 = 256). */
export function swWrongLe(available: number): number {
  return 0x6c00 | (available & 0xff);
}

/** Four upper-case hex digits, e.g. `6A82`. */
export function swHex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

/** A readable name for a status word, e.g. `6983 authentication method blocked`. */
export function statusWordName(sw: number): string {
  const tries = triesLeftOf(sw);
  if (tries !== undefined) return `${swHex(sw)} verification failed, ${tries} tries left`;
  if ((sw & 0xff00) === 0x6c00) return `${swHex(sw)} wrong Le, ${sw & 0xff || 256} bytes available`;
  return `${swHex(sw)} ${SW_NAMES.get(sw) ?? 'unknown status'}`;
}

/** Encodes a short command APDU (case 1–4). Throws RangeError on values outside the short form. */
export function encodeCommand(command: {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data?: Uint8Array;
  le?: number;
}): Uint8Array {
  const { cla, ins, p1, p2, data = new Uint8Array(0), le } = command;
  for (const byte of [cla, ins, p1, p2]) {
    if (!Number.isInteger(byte) || byte < 0 || byte > 0xff) throw new RangeError(`not a byte: ${byte}`);
  }
  if (data.length > 255) throw new RangeError(`data too long for a short APDU: ${data.length}`);
  if (le !== undefined && (!Number.isInteger(le) || le < 1 || le > 256)) {
    throw new RangeError(`Le out of range (1–256): ${le}`);
  }
  const bytes = [cla, ins, p1, p2];
  if (data.length > 0) bytes.push(data.length, ...data);
  if (le !== undefined) bytes.push(le & 0xff);
  return Uint8Array.from(bytes);
}

/**
 * Decodes a short command APDU, or answers the status word a card gives to a malformed one
 * (`6700`: too short, inconsistent Lc, or the extended-length form).
 */
export function decodeCommand(bytes: Uint8Array): CommandApdu | number {
  if (bytes.length < 4) return SW.WRONG_LENGTH;
  const [cla, ins, p1, p2] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
  const header = { cla, ins, p1, p2 };
  if (bytes.length === 4) return { ...header, data: new Uint8Array(0), le: undefined };
  const b5 = bytes[4]!;
  if (bytes.length === 5) return { ...header, data: new Uint8Array(0), le: b5 === 0 ? 256 : b5 };
  if (b5 === 0) return SW.WRONG_LENGTH; // extended length: not supported
  const data = bytes.slice(5, 5 + b5);
  if (bytes.length === 5 + b5) return { ...header, data, le: undefined };
  if (bytes.length === 6 + b5) {
    const le = bytes[5 + b5]!;
    return { ...header, data, le: le === 0 ? 256 : le };
  }
  return SW.WRONG_LENGTH;
}

/** Encodes a response APDU: data ‖ SW1 SW2. */
export function encodeResponse(sw: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const bytes = new Uint8Array(data.length + 2);
  bytes.set(data, 0);
  bytes[data.length] = (sw >> 8) & 0xff;
  bytes[data.length + 1] = sw & 0xff;
  return bytes;
}

/** Splits a response APDU; `undefined` if it is shorter than a status word. */
export function decodeResponse(bytes: Uint8Array): ResponseApdu | undefined {
  if (bytes.length < 2) return undefined;
  const end = bytes.length - 2;
  return { data: bytes.slice(0, end), sw: (bytes[end]! << 8) | bytes[end + 1]! };
}

/** `00A4040C…` style hex (upper case, no separators) of bytes; for logs and test vectors. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

/** Bytes from hex; spaces are ignored. Throws RangeError on anything that is not hex pairs. */
export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(clean)) throw new RangeError(`not hex: ${hex}`);
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}
