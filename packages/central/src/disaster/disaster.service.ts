/**
 * Disaster mode (災害時, M1.8). The operator declares it for municipalities and a period; it is open
 * from `startsAt` until `endsAt` (it closes by itself: the period is compared at each use, no job)
 * or until the operator closes it earlier. An institution may use it when its location — the
 * municipality registered for it by the operator (`institution_locations`; the 医療機関コード only
 * names the prefecture) — is in an open declaration. Each use needs a reason and is audited.
 *
 * Refusals, in this order: DISASTER_REASON_REQUIRED (no reason), DISASTER_LOCATION_UNKNOWN (no
 * location registered), then for the institution's municipality: an open declaration → allowed;
 * one that has ended → DISASTER_PERIOD_OVER; another area's open declaration → DISASTER_OUTSIDE_AREA;
 * none open anywhere → DISASTER_NOT_DECLARED.
 */
import {
  assertInstitutionCode,
  type Clock,
  fromWireDate,
  normalizeMunicipalityCode,
  OnshiError,
  type Person,
} from '@onshi/core';
import type { AuditLog } from '../audit/audit.writer.ts';
import { toHalfWidthKana } from '../seed/kana.ts';
import type { Store } from '../store/store.ts';
import {
  anyDeclarationOpen,
  closeDeclaration,
  type Declaration,
  declarationsCovering,
  findDeclaration,
  findLocation,
  insertDeclaration,
  listDeclarations,
  searchPersons,
  upsertLocation,
} from './disaster.repo.ts';

export type { Declaration } from './disaster.repo.ts';

const MAX_RESULTS = 20;
const MAX_REASON = 500;

function isOpen(d: Declaration, at: number): boolean {
  return d.startsAt <= at && at < d.endsAt && (d.closedAt === undefined || at < d.closedAt);
}

function endOf(d: Declaration): number {
  return d.closedAt === undefined ? d.endsAt : Math.min(d.closedAt, d.endsAt);
}

/** The open declaration covering the institution at `at`, or a coded refusal. */
export async function requireDisasterOpenFor(
  store: Store,
  institutionCode: string,
  at: Date,
): Promise<{ readonly declaration: Declaration; readonly municipality: string }> {
  const municipality = await findLocation(store, institutionCode);
  if (municipality === undefined) throw new OnshiError('DISASTER_LOCATION_UNKNOWN', { institutionCode });
  const t = at.getTime();
  const covering = await declarationsCovering(store, municipality);
  const open = covering.find((d) => isOpen(d, t));
  if (open !== undefined) return { declaration: open, municipality };
  const ended = covering.filter((d) => endOf(d) <= t).at(-1);
  if (ended !== undefined) {
    throw new OnshiError('DISASTER_PERIOD_OVER', {
      name: ended.name,
      endedAt: new Date(endOf(ended)).toISOString(),
    });
  }
  if (await anyDeclarationOpen(store, t)) throw new OnshiError('DISASTER_OUTSIDE_AREA', { municipality });
  throw new OnshiError('DISASTER_NOT_DECLARED');
}

/** True when disaster mode is open for the institution at `at`. */
export async function isDisasterOpenFor(store: Store, institutionCode: string, at: Date): Promise<boolean> {
  try {
    await requireDisasterOpenFor(store, institutionCode, at);
    return true;
  } catch (error) {
    if (error instanceof OnshiError && error.code.startsWith('DISASTER_')) return false;
    throw error;
  }
}

/** The reason given for a disaster-mode use, trimmed; DISASTER_REASON_REQUIRED when blank. */
export function requireReason(reason: string | undefined): string {
  const text = (reason ?? '').trim();
  if (text === '') throw new OnshiError('DISASTER_REASON_REQUIRED');
  if (text.length > MAX_REASON) {
    throw new OnshiError('MSG_FIELD_INVALID', { field: 'reason', detail: `${MAX_REASON}文字以内` });
  }
  return text;
}

export interface DisasterSearch {
  /** 氏名カナ (full- or half-width katakana; spaces ignored). */
  readonly nameKana: string;
  /** yyyyMMdd or YYYY-MM-DD */
  readonly birthdate: string;
  /** OQSCD007 */
  readonly sex?: string | undefined;
  /** Part of the registered address. */
  readonly address?: string | undefined;
  readonly reason?: string | undefined;
}

export interface DisasterService {
  open(input: {
    name: string;
    municipalities: readonly string[];
    startsAt: Date;
    endsAt: Date;
  }): Promise<Declaration>;
  close(id: number): Promise<Declaration>;
  list(): Promise<readonly (Declaration & { readonly open: boolean })[]>;
  locate(
    institutionCode: string,
    municipality: string,
  ): Promise<{ institutionCode: string; municipality: string }>;
  search(
    institutionCode: string,
    query: DisasterSearch,
    context?: { readonly terminalUser?: string | undefined },
  ): Promise<{ readonly declarationId: number; readonly persons: readonly Person[] }>;
}

export function createDisasterService(deps: {
  readonly store: Store;
  readonly clock: Clock;
  readonly audit: AuditLog;
}): DisasterService {
  const { store, clock, audit } = deps;
  return {
    async open(input) {
      const name = input.name.trim();
      if (name === '') throw new OnshiError('MSG_FIELD_REQUIRED', { field: 'name' });
      if (input.municipalities.length === 0)
        throw new OnshiError('MSG_FIELD_REQUIRED', { field: 'municipalities' });
      const municipalities = input.municipalities.map(normalizeMunicipalityCode);
      const startsAt = input.startsAt.getTime();
      const endsAt = input.endsAt.getTime();
      if (!(endsAt > startsAt)) {
        throw new OnshiError('MSG_FIELD_INVALID', {
          field: 'endsAt',
          detail: 'startsAt より後である必要があります',
        });
      }
      const openedAt = clock.now().getTime();
      const id = await insertDeclaration(store, { name, municipalities, startsAt, endsAt, openedAt });
      await audit.append({ action: 'disaster-open', reason: `${id} ${name}` });
      return (await findDeclaration(store, id))!;
    },
    async close(id) {
      if (!(await closeDeclaration(store, id, clock.now().getTime()))) {
        throw new OnshiError('DISASTER_DECLARATION_NOT_FOUND', { id });
      }
      await audit.append({ action: 'disaster-close', reason: String(id) });
      return (await findDeclaration(store, id))!;
    },
    async list() {
      const now = clock.now().getTime();
      return (await listDeclarations(store)).map((d) => ({ ...d, open: isOpen(d, now) }));
    },
    async locate(institutionCode, municipality) {
      const code = assertInstitutionCode(institutionCode);
      const normalized = normalizeMunicipalityCode(municipality);
      await upsertLocation(store, {
        institutionCode: code,
        municipality: normalized,
        updatedAt: clock.now().toISOString(),
      });
      return { institutionCode: code, municipality: normalized };
    },
    async search(institutionCode, query, context = {}) {
      const reason = requireReason(query.reason);
      const { declaration } = await requireDisasterOpenFor(store, institutionCode, clock.now());
      const birthdate = fromWireDate(query.birthdate.replaceAll('-', ''));
      if (birthdate === undefined) throw new OnshiError('DATE_INVALID', { value: query.birthdate });
      const kana = toHalfWidthKana(query.nameKana).replaceAll(' ', '');
      if (kana === '') throw new OnshiError('MSG_FIELD_REQUIRED', { field: 'nameKana' });
      const persons = await searchPersons(store, {
        kana,
        birthdate,
        sex: query.sex || undefined,
        address: query.address?.trim() || undefined,
        limit: MAX_RESULTS,
      });
      const base = {
        institutionCode,
        terminalUser: context.terminalUser,
        action: 'disaster-search',
        reason,
      } as const;
      await audit.appendAll(
        persons.length === 0 ? [base] : persons.map((p) => ({ ...base, personId: p.personId })),
      );
      return { declarationId: declaration.declarationId, persons };
    },
  };
}
