/** SQL of applications and their uploaded documents. */
import type { Store } from '@onshi/central';

export type ApplicationKind = 'reader' | 'usage' | 'certificate' | 'subsidy';
export type ApplicationStatus = 'submitted' | 'approved' | 'rejected';

export interface Application {
  readonly id: number;
  readonly accountId: number;
  readonly kind: ApplicationKind;
  readonly status: ApplicationStatus;
  readonly payload: Record<string, unknown>;
  readonly submittedAt: string;
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
  readonly reason: string | null;
}

interface Row extends Omit<Application, 'payload'> {
  readonly payload: string;
}

const columns = `application_id as id, account_id as "accountId", kind, status, payload,
  submitted_at as "submittedAt", decided_at as "decidedAt", decided_by as "decidedBy",
  decision_reason as reason`;

const parse = (row: Row): Application => ({ ...row, payload: JSON.parse(row.payload) });

export async function insertApplication(
  store: Store,
  a: { accountId: number; kind: ApplicationKind; payload: object; submittedAt: string },
): Promise<number> {
  const row = await store.get<{ application_id: number }>(
    `insert into portal_applications (account_id, kind, status, payload, submitted_at)
     values (?, ?, 'submitted', ?, ?) returning application_id`,
    [a.accountId, a.kind, JSON.stringify(a.payload), a.submittedAt],
  );
  return row!.application_id;
}

export async function findApplication(store: Store, id: number): Promise<Application | undefined> {
  const row = await store.get<Row>(`select ${columns} from portal_applications where application_id = ?`, [
    id,
  ]);
  return row && parse(row);
}

export async function listApplications(
  store: Store,
  filter: { accountId?: number; status?: ApplicationStatus; kind?: ApplicationKind },
): Promise<Application[]> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.accountId !== undefined) {
    where.push('account_id = ?');
    params.push(filter.accountId);
  }
  if (filter.status !== undefined) {
    where.push('status = ?');
    params.push(filter.status);
  }
  if (filter.kind !== undefined) {
    where.push('kind = ?');
    params.push(filter.kind);
  }
  const rows = await store.all<Row>(
    `select ${columns} from portal_applications ${where.length ? `where ${where.join(' and ')}` : ''}
     order by application_id`,
    params,
  );
  return rows.map(parse);
}

/** Decides a submitted application; false when it was decided already. */
export async function decideApplication(
  store: Store,
  d: {
    id: number;
    status: 'approved' | 'rejected';
    at: string;
    by: string;
    reason: string | null;
    payload?: object;
  },
): Promise<boolean> {
  const changed = await store.run(
    `update portal_applications set status = ?, decided_at = ?, decided_by = ?, decision_reason = ?,
       payload = coalesce(?, payload)
     where application_id = ? and status = 'submitted'`,
    [d.status, d.at, d.by, d.reason, d.payload === undefined ? null : JSON.stringify(d.payload), d.id],
  );
  return changed === 1;
}

export interface DocumentRow {
  readonly id: number;
  readonly applicationId: number;
  readonly kind: string;
  readonly fileName: string;
  readonly mediaType: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly uploadedAt: string;
}

export async function insertDocument(store: Store, d: Omit<DocumentRow, 'id'>): Promise<void> {
  await store.run(
    `insert into portal_documents (application_id, kind, file_name, media_type, size_bytes, sha256, uploaded_at)
     values (?, ?, ?, ?, ?, ?, ?)`,
    [d.applicationId, d.kind, d.fileName, d.mediaType, d.sizeBytes, d.sha256, d.uploadedAt],
  );
}

export function listDocuments(store: Store, applicationId: number): Promise<DocumentRow[]> {
  return store.all<DocumentRow>(
    `select document_id as id, application_id as "applicationId", kind, file_name as "fileName",
       media_type as "mediaType", size_bytes as "sizeBytes", sha256, uploaded_at as "uploadedAt"
     from portal_documents where application_id = ? order by document_id`,
    [applicationId],
  );
}

export function findDocument(store: Store, id: number): Promise<DocumentRow | undefined> {
  return store.get<DocumentRow>(
    `select document_id as id, application_id as "applicationId", kind, file_name as "fileName",
       media_type as "mediaType", size_bytes as "sizeBytes", sha256, uploaded_at as "uploadedAt"
     from portal_documents where document_id = ?`,
    [id],
  );
}
