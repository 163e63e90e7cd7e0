/**
 * File-system steps of the connector: durable writes and moves (fsync of file and directory), and
 * the rule that decides when a file in `req/` is complete enough to read.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  type Stats,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { isIgnoredName } from './connector.names.ts';

export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes `bytes` to a new file and makes it durable (file and directory entry). */
export function writeDurably(path: string, dir: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  fsyncDirectory(dir);
}

/**
 * Writes `bytes` to a new file and fsyncs the file, on the thread pool so that many run at once
 * (the file system commits concurrent fsyncs together). The directory entry is not made durable:
 * the caller fsyncs the directory once for a whole batch.
 */
export async function writeSynced(path: string, bytes: Uint8Array): Promise<void> {
  const file = await open(path, 'w');
  try {
    let offset = 0;
    while (offset < bytes.length) offset += (await file.write(bytes, offset)).bytesWritten;
    await file.sync();
  } finally {
    await file.close();
  }
}

/** Atomic rename, then both directories made durable. */
export function moveDurably(from: string, to: string, fromDir: string, toDir: string): void {
  renameSync(from, to);
  fsyncDirectory(toDir);
  if (fromDir !== toDir) fsyncDirectory(fromDir);
}

export function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

interface Seen {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
  readonly at: number;
}

export interface StableFile {
  readonly name: string;
  /** The content; empty when the file is larger than the scanner's `maxBytes` (not read into memory). */
  readonly bytes: Uint8Array;
  readonly size: number;
  /** SHA-256 of the content, given for a file too large to read (hashed in slices). */
  readonly sha256?: string | undefined;
}

/**
 * Opens a request file for reading without following a symbolic link (O_NOFOLLOW), and only if it
 * is still the regular file the scan saw (same inode): a link planted in `req/` — or a file swapped
 * for one between the scan and the read — is never read, so nothing outside the connector's folders
 * (the institution key, another system's files) reaches central or the state database.
 */
function openRequestFile(path: string, ino?: number): number {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  const stats = fstatSync(fd);
  if (!stats.isFile() || (ino !== undefined && stats.ino !== ino)) {
    closeSync(fd);
    throw new Error(`${path}: not the regular file scanned`);
  }
  return fd;
}

/** SHA-256 of a file, read in 1 MiB slices (never whole into memory). */
export function hashFile(path: string, ino?: number): string {
  const hash = createHash('sha256');
  const fd = openRequestFile(path, ino);
  try {
    const slice = Buffer.alloc(1024 * 1024);
    for (let n = readSync(fd, slice); n > 0; n = readSync(fd, slice)) hash.update(slice.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * Finds files in a folder that are complete: seen in two scans at least `settleMs` apart with the
 * same size, mtime and inode, and read back with exactly that size. Only regular files count:
 * symbolic links (to anything, inside or outside the folder) are skipped like sub-folders and never
 * followed. Sub-folders and ignored names
 * (dot files, temp suffixes) are skipped, and so are names `skip` accepts (files already taken and
 * not yet moved away: neither stat-ed nor read again). A complete file larger than `maxBytes` is
 * not read: it is handed over hashed, with empty bytes, to be answered as too large.
 */
export function createStableScanner(
  dir: string,
  settleMs: number,
  now: () => number,
  options: { readonly skip?: (name: string) => boolean; readonly maxBytes?: number } = {},
) {
  const skip = options.skip ?? (() => false);
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  let seen = new Map<string, Seen>();
  return {
    /** Complete files now; `pending` is how many are still settling. */
    scan(): { ready: StableFile[]; pending: number } {
      const next = new Map<string, Seen>();
      const ready: StableFile[] = [];
      const at = now();
      for (const name of readdirSync(dir)) {
        if (isIgnoredName(name) || skip(name)) continue;
        const stats = lstatOrUndefined(join(dir, name));
        if (stats === undefined || !stats.isFile()) continue;
        const before = seen.get(name);
        const current = { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino, at };
        if (before === undefined || !sameFile(before, current)) {
          next.set(name, current);
          continue;
        }
        if (at - before.at < settleMs) {
          next.set(name, before);
        } else if (stats.size > maxBytes) {
          const sha256 = hashOrUndefined(join(dir, name), stats);
          if (sha256 === undefined) next.set(name, before);
          else ready.push({ name, bytes: new Uint8Array(), size: stats.size, sha256 });
        } else {
          const bytes = readComplete(join(dir, name), stats);
          if (bytes === undefined) next.set(name, before);
          else ready.push({ name, bytes, size: bytes.length });
        }
      }
      seen = next;
      return { ready, pending: next.size };
    },
  };
}

function sameFile(a: Seen, b: Seen): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function hashOrUndefined(path: string, seen: Stats): string | undefined {
  try {
    const sha256 = hashFile(path, seen.ino);
    return lstatSync(path).size === seen.size ? sha256 : undefined;
  } catch {
    return undefined;
  }
}

function readComplete(path: string, seen: Stats): Uint8Array | undefined {
  let fd: number;
  try {
    fd = openRequestFile(path, seen.ino);
  } catch {
    return undefined;
  }
  try {
    // One byte more than expected: a file that grew since the scan is not complete.
    const bytes = Buffer.alloc(seen.size + 1);
    let length = 0;
    for (let n = readSync(fd, bytes, length, bytes.length - length, null); n > 0; ) {
      length += n;
      if (length === bytes.length) break;
      n = readSync(fd, bytes, length, bytes.length - length, null);
    }
    return length === seen.size ? new Uint8Array(bytes.buffer, bytes.byteOffset, length) : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
