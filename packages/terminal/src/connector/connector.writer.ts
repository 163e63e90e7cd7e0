/**
 * The second half of the state machine: answered → writing → written → done, in batches, each step
 * safe to repeat after a crash (README, "The state machine").
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fsyncDirectory, hashFile, removeIfPresent, writeSynced } from './connector.files.ts';
import type { ConnectorRepo, RequestRow } from './connector.repo.ts';

export interface ConnectorDirs {
  readonly root: string;
  readonly req: string;
  readonly work: string;
  readonly done: string;
  readonly error: string;
  readonly res: string;
  readonly face: string;
  readonly state: string;
}

export function connectorDirs(root: string): ConnectorDirs {
  const req = join(root, 'req');
  return {
    root,
    req,
    work: join(req, '.work'),
    done: join(req, 'done'),
    error: join(req, 'error'),
    res: join(root, 'res'),
    face: join(root, 'face'),
    state: join(root, '.connector'),
  };
}

/**
 * `.connector/` holds state.db (request bytes: who was checked, for which 医療情報), terminal.db
 * (staff password hashes, CSRF tokens, reader records with patients' names) and the reader token:
 * readable by the terminal's user only (0700, also tightened when it exists with a wider mode).
 */
export function ensureStateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

export function createDirs(dirs: ConnectorDirs): void {
  for (const dir of [dirs.req, dirs.work, dirs.done, dirs.error, dirs.res, dirs.face]) {
    mkdirSync(dir, { recursive: true });
  }
  ensureStateDir(dirs.state);
  fsyncDirectory(dirs.root);
  fsyncDirectory(dirs.req);
}

export const workPath = (dirs: ConnectorDirs, row: Pick<RequestRow, 'id' | 'name'>) =>
  join(dirs.work, `${row.id}_${row.name}`);

/** The temp a result is written to; a result streamed from central is its own temp (`resultPath`). */
const tempPath = (dirs: ConnectorDirs, row: RequestRow) =>
  row.resultPath ?? join(dirs.res, `.${row.resultName}.${row.id}.tmp`);

/**
 * Where an attempt streams a large answer: beside the results (the rename into place stays within
 * one folder), dot-prefixed and `.tmp` like every temp, one file per attempt.
 */
export const spoolPath = (dirs: ConnectorDirs, row: Pick<RequestRow, 'id' | 'name'>, attempt: number) =>
  join(dirs.res, `.${row.name.replace('req', 'res')}.${row.id}.a${attempt}.tmp`);
const spoolName = /^\..*\.(\d+)\.a\d+\.tmp$/;

/** The size of a file, or -1 when it is not there. */
function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return -1;
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** How many answered rows one batch of the writer takes at most. */
const maxBatch = 256;
/** Temp files written (and fsynced) at once on the thread pool. */
const parallelWrites = 16;

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

type Archivable = Pick<RequestRow, 'id' | 'name' | 'archivePath'>;

/**
 * answered → writing → written → done, in batches: each step's file effects for every row of the
 * batch, one fsync of each folder touched, then one transaction for the whole batch. Each row goes
 * through the same sequence as it would alone (README, "The state machine").
 */
export function createResultWriter(
  dirs: ConnectorDirs,
  repo: ConnectorRepo,
  deps: { now: () => number; report: (error: unknown) => void },
) {
  /**
   * answered → writing: complete, durable temp files next to their final names. A streamed result
   * is already its temp (written and fsynced before its answer was recorded); one found missing or
   * short (a system crash lost it) is asked for again: answered → received.
   */
  async function writeTemps(rows: readonly RequestRow[]): Promise<RequestRow[]> {
    const lost = new Set<number>();
    await eachLimited(rows, parallelWrites, async (row) => {
      const temp = tempPath(dirs, row);
      if (row.resultPath !== null) {
        if (sizeOf(temp) !== row.resultSize) lost.add(row.id);
        return;
      }
      removeIfPresent(temp);
      await writeSynced(temp, row.result!);
    });
    fsyncDirectory(dirs.res);
    return repo.transaction(() => {
      for (const id of lost) repo.markResend(id);
      return rows.filter((row) => !lost.has(row.id) && repo.markWriting(row.id));
    });
  }

  /** writing → written: the temps renamed into place (unless a crash already did it). */
  function publish(rows: readonly RequestRow[]): Archivable[] {
    if (rows.length === 0) return [];
    for (const row of rows) {
      const temp = tempPath(dirs, row);
      if (existsSync(temp)) renameSync(temp, join(dirs.res, row.resultName!));
    }
    fsyncDirectory(dirs.res);
    const taken = new Set<string>();
    const archived = rows.map((row) => {
      const folder = row.outcome === 'error' ? dirs.error : dirs.done;
      const plain = join(folder, row.name);
      const archivePath =
        existsSync(plain) || taken.has(plain) ? join(folder, `${row.id}_${row.name}`) : plain;
      taken.add(archivePath);
      return { id: row.id, name: row.name, archivePath };
    });
    return repo.transaction(() => archived.filter((row) => repo.markWritten(row.id, row.archivePath)));
  }

  /**
   * written → done: the requests moved out of `.work` (unless a crash already did it). Not made
   * durable on its own: a lost `done` leaves `written`, whose recovery finds `.work` empty and
   * marks it done again.
   */
  function archive(rows: readonly Archivable[]): void {
    if (rows.length === 0) return;
    const folders = new Set<string>();
    for (const row of rows) {
      const work = workPath(dirs, row);
      if (!existsSync(work)) continue;
      renameSync(work, row.archivePath!);
      folders.add(dirname(row.archivePath!));
    }
    if (folders.size > 0) {
      for (const folder of folders) fsyncDirectory(folder);
      fsyncDirectory(dirs.work);
    }
    const at = deps.now();
    repo.transaction(
      () => {
        for (const row of rows) repo.markDone(row.id, at);
      },
      { durable: false },
    );
  }

  let running: Promise<void> = Promise.resolve();
  let busy = false;
  let again = false;
  let stopped = false;

  async function loop(): Promise<void> {
    try {
      while (again && !stopped) {
        again = false;
        const rows = repo.listInState('answered', maxBatch);
        if (rows.length === maxBatch) again = true;
        if (rows.length > 0) archive(publish(await writeTemps(rows)));
      }
    } catch (error) {
      deps.report(error); // the rows stay where they are; the next kick (at the latest the next tick) goes on
    } finally {
      busy = false;
    }
  }

  /** Writes every answered row, batch after batch; one loop at a time. */
  function kick(): void {
    again = true;
    if (busy || stopped) return;
    busy = true; // before the call: the loop may finish without awaiting anything
    running = loop();
  }

  /** After a restart: finishes the rows that were being written or archived, from wherever they stopped. */
  function resume(): void {
    archive(repo.listInState('written'));
    archive(publish(repo.listInState('writing')));
  }

  /**
   * After a restart: streamed answers no row points at (their attempt died, or their answer was
   * not recorded) are deleted. Rows in `answered` and `writing` keep theirs.
   */
  function removeStraySpools(): void {
    const kept = new Set<string>();
    for (const state of ['answered', 'writing'] as const) {
      for (const row of repo.listInState(state)) if (row.resultPath !== null) kept.add(row.resultPath);
    }
    for (const name of readdirSync(dirs.res)) {
      if (spoolName.test(name) && !kept.has(join(dirs.res, name))) removeIfPresent(join(dirs.res, name));
    }
  }

  /** A file's hash; undefined for what cannot be read as a regular file (a symbolic link). */
  function hashOrUndefined(path: string): string | undefined {
    try {
      return hashFile(path);
    } catch {
      return undefined;
    }
  }

  /** After a restart: received requests whose files were not yet moved to `.work` are moved now. */
  function settleReceived(): void {
    let moved = false;
    for (const row of repo.listInState('received')) {
      const inReq = join(dirs.req, row.name);
      if (existsSync(workPath(dirs, row)) || !existsSync(inReq)) continue;
      if (hashOrUndefined(inReq) === row.sha256) {
        renameSync(inReq, workPath(dirs, row));
        moved = true;
      }
    }
    if (moved) {
      fsyncDirectory(dirs.work);
      fsyncDirectory(dirs.req);
    }
  }

  return {
    kick,
    resume,
    settleReceived,
    removeStraySpools,
    /** Lets the batch being written finish; no new one starts. */
    async stop(): Promise<void> {
      stopped = true;
      await running;
    },
  };
}
