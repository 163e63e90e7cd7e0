/**
 * The institution profile of an account: 医療機関コード (check digit by core), kind (the subsidy
 * programme's kinds: hospital, clinic, dental, pharmacy, large-chain-pharmacy with the group's
 * monthly prescriptions), prefecture (from the code) and municipality (全国地方公共団体コード, in the
 * code's prefecture). Saving it also registers the institution's location with central's disaster
 * mode (`institution_locations`).
 */
import type { Store } from '@onshi/central';
import { assertInstitutionCode, normalizeMunicipalityCode, OnshiError } from '@onshi/core';
import type { SubsidyProgramme } from '../subsidy/index.ts';

export const institutionKinds = ['hospital', 'clinic', 'dental', 'pharmacy', 'large-chain-pharmacy'] as const;
export type InstitutionKind = (typeof institutionKinds)[number];

/** 点数表番号 (3rd digit of the code) → the kinds it allows. */
const kindsByTable: Readonly<Record<string, { name: string; kinds: readonly InstitutionKind[] }>> = {
  '1': { name: '医科', kinds: ['hospital', 'clinic'] },
  '3': { name: '歯科', kinds: ['dental'] },
  '4': { name: '調剤', kinds: ['pharmacy', 'large-chain-pharmacy'] },
};

export interface Profile {
  readonly institutionCode: string;
  readonly name: string;
  readonly kind: InstitutionKind;
  readonly monthlyPrescriptions: number | null;
  readonly prefecture: string;
  readonly municipalityCode: string;
}

function text(body: Record<string, unknown>, field: string, max: number): string {
  const value = typeof body[field] === 'string' ? (body[field] as string).trim() : '';
  if (value === '') throw new OnshiError('MSG_FIELD_REQUIRED', { field });
  if ([...value].length > max) throw new OnshiError('MSG_FIELD_INVALID', { field, detail: `${max}文字以内` });
  return value;
}

/** Validates a profile form against core's check digits and the programme's kind definitions. */
export function parseProfile(body: Record<string, unknown>, programme: SubsidyProgramme): Profile {
  const institutionCode = assertInstitutionCode(String(body.institutionCode ?? '').trim());
  const name = text(body, 'name', 100);
  const kind = body.kind as InstitutionKind;
  if (!institutionKinds.includes(kind)) {
    throw new OnshiError('MSG_FIELD_INVALID', { field: 'kind', detail: institutionKinds.join(', ') });
  }
  const table = institutionCode[2]!;
  const allowed = kindsByTable[table]!;
  if (!allowed.kinds.includes(kind)) {
    throw new OnshiError('PORTAL_KIND_MISMATCH', { kind, table, tableName: allowed.name });
  }
  let monthlyPrescriptions: number | null = null;
  const bounds = programme.kinds[kind]?.monthlyPrescriptions;
  if (kind === 'pharmacy' || kind === 'large-chain-pharmacy') {
    const raw = body.monthlyPrescriptions;
    const count = typeof raw === 'number' ? raw : Number(String(raw ?? '').replaceAll(',', ''));
    if (raw === undefined || raw === null || raw === '' || !Number.isSafeInteger(count) || count < 0) {
      if (kind === 'large-chain-pharmacy' || (raw !== undefined && raw !== null && raw !== '')) {
        throw new OnshiError('MSG_FIELD_INVALID', { field: 'monthlyPrescriptions', detail: '0 以上の整数' });
      }
    } else monthlyPrescriptions = count;
    if (monthlyPrescriptions !== null && bounds !== undefined) {
      const low = bounds.atLeast ?? 0;
      const high = bounds.below ?? Number.POSITIVE_INFINITY;
      if (monthlyPrescriptions < low || monthlyPrescriptions >= high) {
        throw new OnshiError('SUBSIDY_KIND_MISMATCH', {
          count: monthlyPrescriptions,
          kind,
          condition: bounds.atLeast !== undefined ? `${bounds.atLeast} 回以上` : `${bounds.below} 回未満`,
        });
      }
    }
  }
  const municipalityCode = normalizeMunicipalityCode(String(body.municipalityCode ?? '').trim());
  const prefecture = institutionCode.slice(0, 2);
  if (municipalityCode.slice(0, 2) !== prefecture) {
    throw new OnshiError('PORTAL_PREFECTURE_MISMATCH', {
      municipality: municipalityCode,
      given: municipalityCode.slice(0, 2),
      prefecture,
    });
  }
  return { institutionCode, name, kind, monthlyPrescriptions, prefecture, municipalityCode };
}

const columns = `institution_code as "institutionCode", name, kind,
  monthly_prescriptions as "monthlyPrescriptions", prefecture, municipality_code as "municipalityCode"`;

export function findProfile(store: Store, accountId: number): Promise<Profile | undefined> {
  return store.get<Profile>(`select ${columns} from portal_institutions where account_id = ?`, [accountId]);
}

export async function saveProfile(store: Store, accountId: number, p: Profile, at: string): Promise<void> {
  await store.transaction(async (tx) => {
    const other = await tx.get<{ account_id: number }>(
      'select account_id from portal_institutions where institution_code = ? and account_id <> ?',
      [p.institutionCode, accountId],
    );
    if (other) throw new OnshiError('PORTAL_INSTITUTION_TAKEN', { code: p.institutionCode });
    const current = await tx.get<{ code: string }>(
      'select institution_code as code from portal_institutions where account_id = ?',
      [accountId],
    );
    if (current && current.code !== p.institutionCode) {
      const certificates = await tx.get<{ n: number }>(
        'select count(*) as n from portal_certificates where account_id = ?',
        [accountId],
      );
      if ((certificates?.n ?? 0) > 0) {
        throw new OnshiError('MSG_FIELD_INVALID', {
          field: 'institutionCode',
          detail: '証明書の発行後は医療機関コードを変更できません',
        });
      }
    }
    await tx.run(
      `insert into portal_institutions (account_id, institution_code, name, kind, monthly_prescriptions,
         prefecture, municipality_code, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (account_id) do update set institution_code = excluded.institution_code,
         name = excluded.name, kind = excluded.kind, monthly_prescriptions = excluded.monthly_prescriptions,
         prefecture = excluded.prefecture, municipality_code = excluded.municipality_code,
         updated_at = excluded.updated_at`,
      [
        accountId,
        p.institutionCode,
        p.name,
        p.kind,
        p.monthlyPrescriptions,
        p.prefecture,
        p.municipalityCode,
        at,
      ],
    );
  });
}
