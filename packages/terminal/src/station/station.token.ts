/**
 * The reader token (ADR 0004): a random bearer token in a file both the terminal and the reader
 * read. Created with mode 0600 when missing; an existing file is used as it is (trimmed).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { OnshiError } from '@onshi/core';

export function ensureReaderToken(file: string): string {
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 16) return existing;
    throw new OnshiError('CONFIG_INVALID', {
      name: 'reader token file',
      detail: `${file} is shorter than 16 characters`,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(file), { recursive: true });
  const token = randomBytes(32).toString('base64url');
  try {
    writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
    return token;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw error;
  }
}

/** READER_TOKEN_INVALID unless the header is `Bearer <token>`. */
export function assertReaderToken(header: string | undefined, token: string): void {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7).trim() : '');
  const expected = Buffer.from(token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new OnshiError('READER_TOKEN_INVALID');
  }
}
