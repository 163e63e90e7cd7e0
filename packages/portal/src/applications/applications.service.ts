/**
 * Applications (M3.2–M3.5): the institution submits, the operator approves or rejects with a reason
 * the institution sees. Approving a certificate application issues the certificate from the common
 * CA in the same step. Subsidy applications carry the three documents and the amount computed by
 * `estimateSubsidy` under a programme held as data.
 */
import type { Store } from '@onshi/central';
import { type Clock, isLocalDate, jstDate, OnshiError } from '@onshi/core';
import { publicKeyFromCsr } from '@onshi/pki';
import type { Certificates } from '../certificates/certificates.ts';
import { findProfile, type Profile } from '../institutions/institutions.ts';
import { estimateSubsidy, type SubsidyProgramme } from '../subsidy/index.ts';
import {
  type Application,
  type ApplicationKind,
  type ApplicationStatus,
  decideApplication,
  findApplication,
  insertApplication,
  insertDocument,
  listApplications,
  listDocuments,
} from './applications.repo.ts';
import {
  parseCertificateForm,
  parseReaderForm,
  parseSubsidyForm,
  parseUsageForm,
  subsidyDocuments,
} from './applications.rules.ts';
import { type CheckedUpload, checkUpload, removeFiles, storeUploads } from './uploads.ts';

export interface ApplicationsDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly certificates: Certificates;
  readonly programmes: ReadonlyMap<string, SubsidyProgramme>;
  /** The programme whose kinds give the free reader quota, and the default for subsidies. */
  readonly defaultProgramme: SubsidyProgramme;
  readonly dataDir: string;
  readonly uploadLimitBytes: number;
  /** Readers are made to order: expected delivery this many months after the application. */
  readonly readerLeadMonths: number;
}

export function createApplications(deps: ApplicationsDeps) {
  const { store, clock, certificates } = deps;
  const today = () => jstDate(clock.now());

  async function profileOf(accountId: number): Promise<Profile> {
    const profile = await findProfile(store, accountId);
    if (profile === undefined) throw new OnshiError('PORTAL_PROFILE_REQUIRED');
    return profile;
  }

  /** The account's reader applications that are not rejected, and how many readers they ask for. */
  async function readersApplied(accountId: number): Promise<{ apps: Application[]; readers: number }> {
    const apps = (await listApplications(store, { accountId, kind: 'reader' })).filter(
      (a) => a.status !== 'rejected',
    );
    return { apps, readers: apps.reduce((sum, a) => sum + Number(a.payload.quantity ?? 0), 0) };
  }

  function freeQuota(profile: Profile): number {
    return deps.defaultProgramme.kinds[profile.kind]?.freeReaders ?? 1;
  }

  async function submit(accountId: number, kind: ApplicationKind, payload: object): Promise<Application> {
    const id = await insertApplication(store, {
      accountId,
      kind,
      payload,
      submittedAt: clock.now().toISOString(),
    });
    return (await findApplication(store, id))!;
  }

  async function decided(id: number): Promise<Application> {
    const app = await findApplication(store, id);
    if (app === undefined) throw new OnshiError('PORTAL_APPLICATION_NOT_FOUND', { id });
    if (app.status !== 'submitted')
      throw new OnshiError('PORTAL_APPLICATION_DECIDED', { id, status: app.status });
    return app;
  }

  /** The subsidy estimate for a form, from the institution's facts. */
  async function estimate(accountId: number, body: Record<string, unknown>) {
    const profile = await profileOf(accountId);
    const form = parseSubsidyForm(body);
    const programme =
      form.programme === undefined ? deps.defaultProgramme : deps.programmes.get(form.programme);
    if (programme === undefined)
      throw new OnshiError('PORTAL_PROGRAMME_UNKNOWN', { id: String(form.programme) });
    const { apps: readerApps, readers } = await readersApplied(accountId);
    const firstReader = readerApps[0]?.submittedAt;
    const result = estimateSubsidy(programme, {
      kind: profile.kind,
      readers,
      costYen: form.costYen,
      completedOn: form.completedOn,
      subsidyAppliedOn: today(),
      ...(firstReader === undefined ? {} : { readerAppliedOn: jstDate(new Date(firstReader)) }),
      ...(profile.monthlyPrescriptions === null
        ? {}
        : { monthlyPrescriptions: profile.monthlyPrescriptions }),
    });
    return { form, programme, readers, estimate: result };
  }

  return {
    async list(accountId: number) {
      const apps = await listApplications(store, { accountId });
      return Promise.all(apps.map(async (a) => ({ ...a, documents: await listDocuments(store, a.id) })));
    },

    queue: (filter: { status?: ApplicationStatus; kind?: ApplicationKind }) =>
      listApplications(store, filter),

    async readerQuota(accountId: number) {
      const profile = await findProfile(store, accountId);
      const quota = profile === undefined ? 0 : freeQuota(profile);
      const applied = (await readersApplied(accountId)).readers;
      return { quota, applied, remaining: Math.max(0, quota - applied), leadMonths: deps.readerLeadMonths };
    },

    async submitReader(accountId: number, body: Record<string, unknown>) {
      const profile = await profileOf(accountId);
      const payload = parseReaderForm(body, {
        quota: freeQuota(profile),
        applied: (await readersApplied(accountId)).readers,
        today: today(),
        leadMonths: deps.readerLeadMonths,
      });
      return submit(accountId, 'reader', payload);
    },

    async submitUsage(accountId: number, body: Record<string, unknown>) {
      await profileOf(accountId);
      return submit(accountId, 'usage', parseUsageForm(body, today()));
    },

    async submitCertificate(accountId: number, body: Record<string, unknown>) {
      const profile = await profileOf(accountId);
      const form = parseCertificateForm(body);
      const usage = await listApplications(store, { accountId, kind: 'usage', status: 'approved' });
      if (usage.length === 0) throw new OnshiError('PORTAL_USAGE_NOT_APPROVED');
      // The CA checks the CSR again at approval; refused here, the institution learns it at once.
      if (form.csr !== null) await publicKeyFromCsr(form.csr, profile.institutionCode);
      if (form.renewalOf !== null) {
        const old = await certificates.owned(accountId, form.renewalOf);
        certificates.assertRenewable(old);
        return submit(accountId, 'certificate', {
          ...form,
          renewalOf: old.serial,
          environment: old.environment,
        });
      }
      return submit(accountId, 'certificate', form);
    },

    estimate: async (accountId: number, body: Record<string, unknown>) =>
      (await estimate(accountId, body)).estimate,

    /**
     * Checks the form, the three documents (size, type by content) and the estimate; stores the
     * files, then the application and its document rows in one transaction (files undone on failure).
     */
    async submitSubsidy(accountId: number, body: Record<string, unknown>) {
      const { form, programme, readers, estimate: result } = await estimate(accountId, body);
      if (readers === 0) throw new OnshiError('PORTAL_READER_REQUIRED');
      const given = (body.documents ?? {}) as Record<string, unknown>;
      const uploads: [string, CheckedUpload][] = Object.entries(subsidyDocuments).map(([key, label]) => [
        key,
        checkUpload(given[key], label, deps.uploadLimitBytes),
      ]);
      if (!result.eligible) {
        throw new OnshiError('PORTAL_SUBSIDY_INELIGIBLE', {
          reason:
            result.reasons
              .filter((r) => r.id.includes('deadline') || r.id === 'no-reader' || r.id === 'no-rule')
              .map((r) => r.ja)
              .join(' ') || result.reasons.map((r) => r.ja).join(' '),
        });
      }
      const created = await storeUploads(
        deps.dataDir,
        uploads.map(([, u]) => u),
      );
      try {
        return await store.transaction(async (tx) => {
          const at = clock.now().toISOString();
          const id = await insertApplication(tx, {
            accountId,
            kind: 'subsidy',
            submittedAt: at,
            payload: {
              items: form.items,
              costYen: form.costYen,
              completedOn: form.completedOn,
              programme: programme.id,
              readers,
              subsidyYen: result.subsidy,
              estimate: result,
            },
          });
          for (const [kind, u] of uploads) {
            await insertDocument(tx, {
              applicationId: id,
              kind,
              fileName: u.fileName,
              mediaType: u.mediaType,
              sizeBytes: u.bytes.length,
              sha256: u.sha256,
              uploadedAt: at,
            });
          }
          return (await findApplication(tx, id))!;
        });
      } catch (error) {
        await removeFiles(created);
        throw error;
      }
    },

    async approve(id: number, operator: string, body: Record<string, unknown> = {}) {
      const app = await decided(id);
      const at = clock.now().toISOString();
      const decide = async (tx: Store, payload?: object) => {
        if (
          !(await decideApplication(tx, { id, status: 'approved', at, by: operator, reason: null, payload }))
        ) {
          throw new OnshiError('PORTAL_APPLICATION_DECIDED', { id, status: 'approved' });
        }
      };
      if (app.kind === 'certificate') {
        const profile = await profileOf(app.accountId);
        const p = app.payload;
        await certificates.issue(
          {
            accountId: app.accountId,
            applicationId: id,
            institutionCode: profile.institutionCode,
            institutionName: profile.name,
            environment: p.environment as 'connection-test' | 'production',
            terminalName: String(p.terminalName),
            csr: (p.csr as string | null) ?? null,
            renewalOf: (p.renewalOf as string | null) ?? null,
          },
          (tx, serial) => decide(tx, { ...p, serial }),
        );
      } else if (app.kind === 'reader' && typeof body.deliveryDate === 'string' && body.deliveryDate !== '') {
        if (!isLocalDate(body.deliveryDate))
          throw new OnshiError('DATE_INVALID', { value: body.deliveryDate });
        await store.transaction((tx) => decide(tx, { ...app.payload, expectedDelivery: body.deliveryDate }));
      } else {
        await store.transaction((tx) => decide(tx));
      }
      return (await findApplication(store, id))!;
    },

    async reject(id: number, operator: string, reason: unknown) {
      await decided(id);
      const text = typeof reason === 'string' ? reason.trim() : '';
      if (text === '') throw new OnshiError('PORTAL_REASON_REQUIRED');
      if ([...text].length > 500)
        throw new OnshiError('MSG_FIELD_INVALID', { field: 'reason', detail: '500文字以内' });
      const ok = await decideApplication(store, {
        id,
        status: 'rejected',
        at: clock.now().toISOString(),
        by: operator,
        reason: text,
      });
      if (!ok) throw new OnshiError('PORTAL_APPLICATION_DECIDED', { id, status: 'rejected' });
      return (await findApplication(store, id))!;
    },
  };
}

export type Applications = ReturnType<typeof createApplications>;
