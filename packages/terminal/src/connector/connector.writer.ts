/**
 * The second half of the state machine: answered → writing → written → done, each step safe to
 * repeat after a crash (README, "The state machine").
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDirectory, moveDurably, removeIfPresent, writeDurably } from './connector.files.ts';
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

export function createDirs(dirs: ConnectorDirs): void {
  for (const dir of [dirs.req, dirs.work, dirs.done, dirs.error, dirs.res, dirs.face, dirs.state]) {
    mkdirSync(dir, { recursive: true });
  }
  fsyncDirectory(dirs.root);
  fsyncDirectory(dirs.req);
}

export const workPath = (dirs: ConnectorDirs, row: Pick<RequestRow, 'id' | 'name'>) =>
  join(dirs.work, `${row.id}_${row.name}`);

const tempPath = (dirs: ConnectorDirs, row: RequestRow) => join(dirs.res, `.${row.resultName}.${row.id}.tmp`);

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function createResultWriter(dirs: ConnectorDirs, repo: ConnectorRepo) {
  /** answered → writing: a complete, durable temp file next to the final name. */
  function writeTemp(row: RequestRow): void {
    const temp = tempPath(dirs, row);
    removeIfPresent(temp);
    writeDurably(temp, dirs.res, row.result!);
    repo.markWriting(row.id);
  }

  /** writing → written: the temp renamed into place (unless a crash already did it). */
  function publish(row: RequestRow): string {
    const temp = tempPath(dirs, row);
    if (existsSync(temp)) moveDurably(temp, join(dirs.res, row.resultName!), dirs.res, dirs.res);
    const folder = row.outcome === 'error' ? dirs.error : dirs.done;
    const plain = join(folder, row.name);
    const archive = existsSync(plain) ? join(folder, `${row.id}_${row.name}`) : plain;
    repo.markWritten(row.id, archive);
    return archive;
  }

  /** written → done: the request moved out of `.work` (unless a crash already did it). */
  function archive(row: Pick<RequestRow, 'id' | 'name'>, archivePath: string): void {
    const work = workPath(dirs, row);
    if (existsSync(work)) {
      const folder = archivePath.slice(0, archivePath.lastIndexOf('/'));
      moveDurably(work, archivePath, dirs.work, folder);
    }
    repo.markDone(row.id);
  }

  /** Takes an answered row all the way to done. */
  function complete(row: RequestRow): void {
    writeTemp(row);
    archive(row, publish(row));
  }

  /** After a restart: finishes every row that has an answer, from wherever it stopped. */
  function resume(): void {
    for (const row of repo.listInState('answered')) complete(row);
    for (const row of repo.listInState('writing')) archive(row, publish(row));
    for (const row of repo.listInState('written')) archive(row, row.archivePath!);
  }

  /** After a restart: a received request whose file was not yet moved to `.work` is moved now. */
  function settleReceived(): void {
    for (const row of repo.listInState('received')) {
      const inReq = join(dirs.req, row.name);
      if (existsSync(workPath(dirs, row)) || !existsSync(inReq)) continue;
      if (sha256(readFileSync(inReq)) === row.sha256)
        moveDurably(inReq, workPath(dirs, row), dirs.req, dirs.work);
    }
  }

  return { complete, resume, settleReceived };
}
