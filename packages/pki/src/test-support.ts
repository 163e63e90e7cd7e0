/**
 * Test support (imported by tests only; other packages as `@onshi/pki/test-support`): temp
 * directories, passphrase files, a settable clock.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '@onshi/core';

export interface TestDir {
  readonly path: string;
  readonly passphraseFile: string;
  remove(): Promise<void>;
}

export const TEST_PASSPHRASE = 'correct horse battery staple';

/** A fresh temp directory with a passphrase file in it. */
export async function testDir(): Promise<TestDir> {
  const path = await mkdtemp(join(tmpdir(), 'onshi-pki-'));
  const passphraseFile = join(path, 'passphrase.txt');
  await writeFile(passphraseFile, `${TEST_PASSPHRASE}\n`, { mode: 0o600 });
  return { path, passphraseFile, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A clock the test sets or moves on (certificate lifetimes, CRL age, sessions, lockouts). */
export interface TestClock extends Clock {
  set(date: Date | string): void;
  advance(ms: number): void;
}

export function testClock(start: Date | string = '2026-12-01T00:00:00Z'): TestClock {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    set: (date) => {
      now = new Date(date);
    },
    advance: (ms) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

export const DAY_MS = 86_400_000;
