/**
 * Uploaded documents: size limit, type decided by content (PDF `%PDF-`, JPEG `FF D8 FF`, PNG
 * signature) — never by the name or the declared type — and stored on disk under their SHA-256
 * (`<dataDir>/documents/<sha256>`, written to a temporary file then renamed, 0600), so the same
 * file uploaded twice is stored once and a stored file can be checked against its row.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OnshiError } from '@onshi/core';

export const DEFAULT_UPLOAD_LIMIT = 5 * 1024 * 1024;

export type MediaType = 'application/pdf' | 'image/jpeg' | 'image/png';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The media type from the first bytes, or undefined. */
export function sniffMediaType(bytes: Uint8Array): MediaType | undefined {
  const starts = (sig: readonly number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts(PNG)) return 'image/png';
  return undefined;
}

export interface CheckedUpload {
  readonly fileName: string;
  readonly bytes: Buffer;
  readonly mediaType: MediaType;
  readonly sha256: string;
}

/** An upload from the JSON body `{ name, data: base64 }`: size and content type checked. */
export function checkUpload(value: unknown, document: string, limit: number): CheckedUpload {
  const upload = value as { name?: unknown; data?: unknown } | undefined;
  if (
    typeof upload !== 'object' ||
    upload === null ||
    typeof upload.data !== 'string' ||
    upload.data === ''
  ) {
    throw new OnshiError('PORTAL_DOCUMENT_MISSING', { document });
  }
  const fileName =
    typeof upload.name === 'string' && upload.name.trim() !== '' ? upload.name.trim() : document;
  // base64 is 4/3 of the bytes: refuse before decoding what is clearly too large.
  if (upload.data.length > Math.ceil(limit / 3) * 4 + 4) {
    throw new OnshiError('PORTAL_UPLOAD_TOO_LARGE', { name: fileName, limit });
  }
  const bytes = Buffer.from(upload.data, 'base64');
  if (bytes.length > limit) throw new OnshiError('PORTAL_UPLOAD_TOO_LARGE', { name: fileName, limit });
  const mediaType = sniffMediaType(bytes);
  if (mediaType === undefined) throw new OnshiError('PORTAL_UPLOAD_TYPE_INVALID', { name: fileName });
  return {
    fileName: fileName.slice(0, 200),
    bytes,
    mediaType,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

export function documentsDir(dataDir: string): string {
  return join(dataDir, 'documents');
}

/** Writes the files (those not stored yet); returns the paths it created, for undoing. */
export async function storeUploads(dataDir: string, uploads: readonly CheckedUpload[]): Promise<string[]> {
  const dir = documentsDir(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const created: string[] = [];
  for (const upload of uploads) {
    const path = join(dir, upload.sha256);
    if (existsSync(path)) continue;
    const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temp, upload.bytes, { mode: 0o600 });
    await rename(temp, path);
    created.push(path);
  }
  return created;
}

export async function removeFiles(paths: readonly string[]): Promise<void> {
  await Promise.all(paths.map((path) => rm(path, { force: true })));
}

/** A stored document's bytes, verified against its hash. */
export async function readStored(dataDir: string, sha256: string): Promise<Buffer> {
  const bytes = await readFile(join(documentsDir(dataDir), sha256));
  if (createHash('sha256').update(bytes).digest('hex') !== sha256) {
    throw new OnshiError('SERVICE_INTERNAL', { requestId: `document ${sha256} altered` });
  }
  return bytes;
}
