/**
 * Face files (ADR 0004): `face/OQSsiquc01res_face_<医療機関コード 10><20 hex>_<yyyyMMddHHmmss JST>.xml`,
 * the OQS-IF-002 result of a reader session, written atomically: a dot-prefixed temp file made
 * durable (connector's writeDurably), then renamed into place and the folder synced.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { jstDateTime, toWireDateTime } from '@onshi/core';
import { moveDurably, removeIfPresent, writeDurably } from '../connector/connector.files.ts';

export const faceFilePattern = /^OQSsiquc01res_face_(\d{10})([0-9a-f]{20})_(\d{14})\.xml$/;

/** 20 random hex characters: the reader session's id. */
export function newSessionId(): string {
  return randomBytes(10).toString('hex');
}

export function faceFileName(institutionCode: string, sessionId: string, at: Date): string {
  if (!/^\d{10}$/.test(institutionCode)) throw new RangeError(`institution code: ${institutionCode}`);
  if (!/^[0-9a-f]{20}$/.test(sessionId)) throw new RangeError(`session id: ${sessionId}`);
  return `OQSsiquc01res_face_${institutionCode}${sessionId}_${toWireDateTime(jstDateTime(at))}.xml`;
}

export function parseFaceFileName(
  name: string,
): { institutionCode: string; sessionId: string; timestamp: string } | undefined {
  const match = faceFilePattern.exec(name);
  return match ? { institutionCode: match[1]!, sessionId: match[2]!, timestamp: match[3]! } : undefined;
}

/** Writes `face/<name>` so that a reader of the folder never sees it half-written. */
export function writeFaceFile(faceDir: string, name: string, bytes: Uint8Array): string {
  const temp = join(faceDir, `.${name}.tmp`);
  try {
    writeDurably(temp, faceDir, bytes);
    const path = join(faceDir, name);
    moveDurably(temp, path, faceDir, faceDir);
    return path;
  } catch (error) {
    removeIfPresent(temp);
    throw error;
  }
}

/** A face file is one small OQS result; anything larger is not one of ours. */
export const MAX_FACE_FILE_BYTES = 1024 * 1024;

/**
 * The bytes of `face/<name>` for the record view, or undefined when it is gone. Only a name of the
 * face-file grammar (no separators, so it stays in `faceDir`), only a regular file (opened with
 * O_NOFOLLOW: a symbolic link put in its place by whoever can write `face/` is not followed), and
 * at most MAX_FACE_FILE_BYTES.
 */
export function readFaceFile(faceDir: string, name: string): Uint8Array | undefined {
  if (!faceFilePattern.test(name)) return undefined;
  let fd: number;
  try {
    fd = openSync(join(faceDir, name), constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined; // taken by the EMR, or a link
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.size > MAX_FACE_FILE_BYTES) return undefined;
    const bytes = Buffer.alloc(stats.size);
    let length = 0;
    while (length < bytes.length) {
      const n = readSync(fd, bytes, length, bytes.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return new Uint8Array(bytes.buffer, bytes.byteOffset, length);
  } finally {
    closeSync(fd);
  }
}
