/**
 * The data of the eligibility integration tests: insurers of each kind and persons whose
 * qualifications produce every OQSCD006 outcome, 未就学, 後期高齢者, 70–74 and certificates.
 */
import type { QualificationConfirmRequest } from '@onshi/core';
import {
  upsertElderlyCertificate,
  upsertLimitCertificate,
  upsertSpecificDiseaseCertificate,
} from '../certificates/certificates.repo.ts';
import type { Store } from '../store/store.ts';
import {
  addInsurer,
  addPerson,
  addQualification,
  institutionCode,
  insurerNumber,
  kokuhoNumber,
  type PersonSpec,
  type QualificationSpec,
} from '../test/fixtures.ts';

export const kyokai = insurerNumber('01', '13', '001');
export const kumiai = insurerNumber('06', '13', '002');
export const kouki = insurerNumber('39', '13', '003');
export const kokuho = kokuhoNumber('13', '100');
export const clinicA = institutionCode('13', '1', '123456');
export const clinicB = institutionCode('13', '1', '654321');
/** The same digits with a wrong check digit. */
export const wrongCheckDigit = (value: string) =>
  value.slice(0, -1) + String((Number(value.at(-1)) + 1) % 10);

export interface Card {
  insurer: string;
  symbol?: string;
  number: string;
  branch?: string;
  birthdate: string;
}

export function request(
  card: Card,
  options: { date?: string; institution?: string; consent?: '0' | '1' } = {},
) {
  const info: QualificationConfirmRequest['MessageBody']['QualificationConfirmSearchInfo'] = {
    InsurerNumber: card.insurer,
    InsuredIdentificationNumber: card.number,
    Birthdate: card.birthdate,
    LimitApplicationCertificateRelatedConsFlg: options.consent ?? '0',
    ArbitraryIdentifier: 'patient-42',
  };
  if (card.symbol !== undefined) info.InsuredCardSymbol = card.symbol;
  if (card.branch !== undefined) info.InsuredBranchNumber = card.branch;
  return {
    MessageHeader: {
      QualificationConfirmationDate: options.date ?? '20240601',
      MedicalInstitutionCode: options.institution ?? clinicA,
      ArbitraryFileIdentifier: 'file-1',
    },
    MessageBody: { QualificationConfirmSearchInfo: info },
  } satisfies QualificationConfirmRequest;
}

// Cards of the scenario (see `before`).
export const changedJob: Card = {
  insurer: kyokai,
  symbol: '記号1',
  number: '1001',
  branch: '00',
  birthdate: '19800505',
};
export const newJob: Card = { insurer: kumiai, symbol: '22', number: '3001', birthdate: '19800505' };
export const retired: Card = {
  insurer: kyokai,
  symbol: '記号1',
  number: '1002',
  branch: '00',
  birthdate: '19700101',
};
export const twins: Card = { insurer: kyokai, symbol: '記号1', number: '1003', birthdate: '20100707' };
export const child: Card = {
  insurer: kyokai,
  symbol: '記号1',
  number: '1004',
  branch: '02',
  birthdate: '20200101',
};
export const lateElderly: Card = { insurer: kouki, number: '00000001', birthdate: '19450101' };
export const lateElderlyRich: Card = { insurer: kouki, number: '00000002', birthdate: '19440202' };
export const elderly: Card = { insurer: kokuho, number: '5001', birthdate: '19520315' };
export const withCertificates: Card = {
  insurer: kyokai,
  symbol: '記号1',
  number: '1005',
  branch: '00',
  birthdate: '19850808',
};

type Holding = Omit<QualificationSpec, 'personId'>;

/** A person (born on `birthdate`) holding the given qualifications; resolves their ids. */
async function holder(s: Store, person: PersonSpec, ...holdings: Holding[]): Promise<number[]> {
  const personId = await addPerson(s, person);
  const ids: number[] = [];
  for (const holding of holdings) ids.push(await addQualification(s, { personId, ...holding }));
  return ids;
}

const k1 = { insurerNumber: kyokai, cardSymbol: '記号1' } as const;

/** Outcomes 1–5 of OQSCD006. */
async function writeValidityCases(s: Store): Promise<void> {
  // Changed jobs on 2024-04-01: the old card is lost, a new qualification is valid.
  await holder(
    s,
    { birthdate: '1980-05-05' },
    {
      ...k1,
      cardNumber: '1001',
      branchNumber: '00',
      qualificationDate: '2020-04-01',
      disqualificationDate: '2024-04-01',
      reasonOfLoss: '03',
    },
    { insurerNumber: kumiai, cardSymbol: '22', cardNumber: '3001', qualificationDate: '2024-04-01' },
  );
  // Lost without a new qualification.
  await holder(
    s,
    { birthdate: '1970-01-01' },
    {
      ...k1,
      cardNumber: '1002',
      branchNumber: '00',
      qualificationDate: '2010-04-01',
      disqualificationDate: '2024-05-01',
      reasonOfLoss: '99',
    },
  );
  // Twins: same card number and birth date, branches 01 and 02.
  for (const branch of ['01', '02']) {
    await holder(
      s,
      { birthdate: '2010-07-07', name: `双子　${branch}` },
      {
        ...k1,
        cardNumber: '1003',
        branchNumber: branch,
        qualificationDate: '2010-07-07',
        personalFamily: '2',
      },
    );
  }
}

/** 未就学, 後期高齢者 (1割 and 3割), 70–74 with a 高齢受給者証, 限度額 and 特定疾病 certificates. */
async function writeResultCases(s: Store): Promise<void> {
  await holder(
    s,
    { birthdate: '2020-01-01' },
    { ...k1, cardNumber: '1004', branchNumber: '02', qualificationDate: '2020-01-01', personalFamily: '2' },
  );
  await holder(
    s,
    { birthdate: '1945-01-01' },
    { insurerNumber: kouki, cardNumber: '00000001', qualificationDate: '2020-01-01', incomeTier: 'general' },
  );
  await holder(
    s,
    { birthdate: '1944-02-02' },
    { insurerNumber: kouki, cardNumber: '00000002', qualificationDate: '2019-02-02', incomeTier: 'high1' },
  );
  const [q7] = await holder(
    s,
    { birthdate: '1952-03-15' },
    { insurerNumber: kokuho, cardNumber: '5001', qualificationDate: '2000-04-01' },
  );
  await upsertElderlyCertificate(s, {
    qualificationId: q7!,
    issuanceDate: '2022-03-20',
    validStartDate: '2022-04-01',
    validEndDate: '2027-03-14',
    contributionRatio: 20,
  });
  const [q8] = await holder(
    s,
    { birthdate: '1985-08-08' },
    { ...k1, cardNumber: '1005', branchNumber: '00', qualificationDate: '2015-04-01' },
  );
  const qualificationId = q8!;
  await upsertLimitCertificate(s, {
    qualificationId,
    classification: '01',
    category: 'A03',
    issuanceDate: '2023-07-20',
    validStartDate: '2023-08-01',
    validEndDate: '2024-07-31',
  });
  await upsertLimitCertificate(s, {
    qualificationId,
    classification: '01',
    category: 'A02',
    issuanceDate: '2022-07-20',
    validStartDate: '2022-08-01',
    validEndDate: '2023-07-31',
  });
  await upsertSpecificDiseaseCertificate(s, {
    qualificationId,
    diseaseCategory: '1',
    issuanceDate: '2021-01-10',
    validStartDate: '2021-01-01',
    selfPay: 10000,
  });
}

export async function writeScenario(s: Store): Promise<void> {
  await addInsurer(s, kyokai, 'kyokai', '全国健康保険協会 東京支部');
  await addInsurer(s, kumiai, 'kumiai', '東京健康保険組合');
  await addInsurer(s, kouki, 'kouki', '東京都後期高齢者医療広域連合');
  await addInsurer(s, kokuho, 'kokuho', '千代田区');
  await writeValidityCases(s);
  await writeResultCases(s);
}
