/**
 * Schemas of the medical-information retrievals (oqs-interface.md §2.7): YZK 薬剤情報 and TKK
 * 特定健診情報, requests and results. They mirror `medinfo.types.ts`; element names marked
 * `onshi:` are this implementation's where §2.7 is silent. Writing order is the order below; the
 * reader accepts any order.
 */
import { defineMessage, group, text } from '../xml/schema.ts';
import type {
  CheckupInformationRequest,
  CheckupInformationResult,
  MedicationInformationRequest,
  MedicationInformationResult,
} from './medinfo.types.ts';

const required = { required: true } as const;
const many = { required: true, repeated: true } as const;
const opt = text();
const req = text(required);

const requestHeader = group(
  {
    MedicalInstitutionCode: req,
    InsurerNumber: opt,
    InsuranceCardSymbol: opt,
    InsuredPersonIdentificationNumber: opt,
    BranchNumber: opt,
    // onshi: the birth date, optional — an extra check on the person when given (§2.7 has none).
    Birthdate: opt,
    // onshi: 災害時 — the internal person id of a disaster search, instead of the card data.
    DisasterPersonIdentifier: opt,
    ArbitraryFileIdentifier: opt,
  },
  required,
);

/** YZK 薬剤情報 request (`YZKsiquc01req_`). */
export const medicationInformationRequestSchema = defineMessage<MedicationInformationRequest>()(
  'YZK',
  'MedicationInformationRequest',
  {
    MessageHeader: requestHeader,
    MessageBody: group(
      {
        StartDate: opt,
        EndDate: opt,
        FileCategory: opt,
        PrDiInfClassification: opt,
        MedicalTreatmentFlag: opt,
        // onshi: 災害時の利用理由; its presence selects disaster mode.
        DisasterUseReason: opt,
      },
      required,
    ),
  },
);

/** TKK 特定健診情報 request (`TKKsiquc01req_`). */
export const checkupInformationRequestSchema = defineMessage<CheckupInformationRequest>()(
  'TKK',
  'CheckupInformationRequest',
  {
    MessageHeader: requestHeader,
    MessageBody: group({ FileCategory: opt, MedicalTreatmentFlag: opt, DisasterUseReason: opt }, required),
  },
);

// onshi: the status elements of the result header are those of OQS-IF-002.
const resultStatus = {
  ProcessExecutionTime: req,
  MedicalInstitutionCode: opt,
  ArbitraryFileIdentifier: opt,
  SegmentOfResult: req,
  ErrorCode: opt,
  ErrorMessage: opt,
  CharacterCodeIdentifier: req,
} as const;

const drugInfo = group(
  {
    DrugC: opt,
    DrugN: req,
    IngreN: opt,
    Qua1: opt,
    Unit: opt,
    UsageN: opt,
    SpInst: opt,
    Times: opt,
    MeTrIdCl: opt,
  },
  many,
);

const monthInfo = group(
  {
    DiOrg: opt,
    MeTrDiHCd: opt,
    MeTrDiHNm: opt,
    PrlsHCd: opt,
    PrlsHNm: opt,
    MeTrMonth: req,
    PrIsOrg: opt,
    InOut: opt,
    DiDateInfs: group(
      {
        DiDateInf: group(
          { DiDate: req, PrDate: opt, DrugInfs: group({ DrugInf: drugInfo }, required) },
          many,
        ),
      },
      required,
    ),
  },
  { repeated: true },
);

/** YZK 薬剤情報 result (`YZKsiquc01res_`). */
export const medicationInformationResultSchema = defineMessage<MedicationInformationResult>()(
  'YZK',
  'MedicationInformationResult',
  {
    MessageHeader: group(
      {
        ...resultStatus,
        QuaInf: group({ Name: opt, KanaName: opt, Birth: opt, AdmGendCode: opt }),
      },
      required,
    ),
    MessageBody: group(
      {
        ResultCode: req,
        MessageContents: opt,
        // onshi: the period answered.
        StartDate: opt,
        EndDate: opt,
        MeTrMonthInf: monthInfo,
      },
      required,
    ),
  },
);

const checkupItem = group(
  {
    ItemCode: req,
    ItemName: req,
    DataType: opt,
    DataValue: opt,
    Unit: opt,
    Oid: opt,
    DataValueName: opt,
    // onshi: reference range and interpretation.
    ReferenceRangeLow: opt,
    ReferenceRangeHigh: opt,
    InterpretationCode: opt,
  },
  many,
);

/** TKK 特定健診情報 result (`TKKsiquc01res_`). */
export const checkupInformationResultSchema = defineMessage<CheckupInformationResult>()(
  'TKK',
  'CheckupInformationResult',
  {
    MessageHeader: group(
      {
        ...resultStatus,
        QualificationsInfo: group({
          Name: opt,
          KanasName: opt,
          Birthday: opt,
          AdministrativeGenderCode: opt,
        }),
      },
      required,
    ),
    MessageBody: group(
      {
        ResultCode: req,
        MessageContents: opt,
        SpecificHealthCheckupInfo: group(
          {
            EffectiveTime: req,
            // onshi: 健診機関番号.
            HealthCheckupInstitutionCode: opt,
            HealthCheckupResultAndQuestionInfos: group(
              { HealthCheckupResultAndQuestionInfo: checkupItem },
              required,
            ),
          },
          { repeated: true },
        ),
      },
      required,
    ),
  },
);
