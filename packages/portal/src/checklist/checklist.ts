/**
 * The introduction checklist (M3.6), following the seed's flow: account → reader → quotes → order →
 * usage application → certificate → equipment → operation test → reception changes → patient
 * notices → subsidy → start. Steps tick themselves from facts; the few that happen only at the
 * institution or its vendor (quotes, order, reception changes, notices) are ticked by the
 * institution. Pure: the caller gathers the facts.
 *
 * - equipment ("terminal connected"): central answered a check made with one of the institution's
 *   certificates (`institution_sightings`).
 * - operation test: central answered a check made with a connection-test certificate.
 * - start (運用中): central answered a check with a valid production certificate, after the usage
 *   application was approved and the operation test passed.
 */
import type { Application } from '../applications/applications.repo.ts';
import type { PortalCertificate } from '../certificates/certificates.ts';

export const manualSteps = ['quotes', 'order', 'reception', 'notices'] as const;
export type ManualStep = (typeof manualSteps)[number];

export const stepIds = [
  'account',
  'profile',
  'reader',
  'quotes',
  'order',
  'usage',
  'certificate',
  'equipment',
  'operation-test',
  'reception',
  'notices',
  'subsidy',
  'start',
] as const;
export type StepId = (typeof stepIds)[number];

export interface ChecklistFacts {
  readonly verifiedAt: string | null;
  readonly profileSaved: boolean;
  readonly applications: readonly Application[];
  readonly certificates: readonly PortalCertificate[];
  /** Central's first answered check per certificate serial. */
  readonly sightings: readonly { readonly serial: string; readonly firstCheckAt: string }[];
  readonly marks: ReadonlyMap<string, string>;
}

export interface ChecklistStep {
  readonly id: StepId;
  readonly done: boolean;
  /** When it was done (ISO), when known. */
  readonly at: string | null;
  readonly manual: boolean;
  /** Submitted but not decided, for application steps. */
  readonly pending: boolean;
}

export type Stage = 'preparing' | 'testing' | 'in-operation';

export interface Checklist {
  readonly stage: Stage;
  readonly steps: readonly ChecklistStep[];
}

function first(values: readonly (string | null | undefined)[]): string | null {
  return values.filter((v): v is string => typeof v === 'string').sort()[0] ?? null;
}

export function computeChecklist(f: ChecklistFacts): Checklist {
  const apps = (kind: string) => f.applications.filter((a) => a.kind === kind && a.status !== 'rejected');
  const approvedAt = (kind: string) =>
    first(
      apps(kind)
        .filter((a) => a.status === 'approved')
        .map((a) => a.decidedAt),
    );
  const submittedAt = (kind: string) => first(apps(kind).map((a) => a.submittedAt));
  const pending = (kind: string) => apps(kind).some((a) => a.status === 'submitted');
  const bySerial = new Map(f.certificates.map((c) => [c.serial, c]));
  const seen = f.sightings
    .map((s) => ({ ...s, cert: bySerial.get(s.serial) }))
    .filter((s) => s.cert !== undefined);
  const testAt = first(
    seen.filter((s) => s.cert!.environment === 'connection-test').map((s) => s.firstCheckAt),
  );
  const usageAt = approvedAt('usage');
  const prodAt = first(
    seen
      .filter((s) => s.cert!.environment === 'production' && s.cert!.revokedAt === null)
      .map((s) => s.firstCheckAt),
  );
  const startAt = usageAt !== null && testAt !== null && prodAt !== null ? [prodAt, testAt].sort()[1]! : null;
  const fact = (id: StepId, at: string | null, kind?: string): ChecklistStep => ({
    id,
    done: at !== null,
    at,
    manual: false,
    pending: kind !== undefined && at === null && pending(kind),
  });
  const manual = (id: ManualStep): ChecklistStep => {
    const at = f.marks.get(id) ?? null;
    return { id, done: at !== null, at, manual: true, pending: false };
  };
  const steps: ChecklistStep[] = [
    fact('account', f.verifiedAt),
    { id: 'profile', done: f.profileSaved, at: null, manual: false, pending: false },
    fact('reader', submittedAt('reader')),
    manual('quotes'),
    manual('order'),
    fact('usage', usageAt, 'usage'),
    fact(
      'certificate',
      first(f.certificates.filter((c) => c.revokedAt === null).map((c) => c.issuedAt)),
      'certificate',
    ),
    fact('equipment', first(seen.map((s) => s.firstCheckAt))),
    fact('operation-test', testAt),
    manual('reception'),
    manual('notices'),
    fact('subsidy', submittedAt('subsidy')),
    fact('start', startAt),
  ];
  const stage: Stage = startAt !== null ? 'in-operation' : seen.length > 0 ? 'testing' : 'preparing';
  return { stage, steps };
}
