/**
 * Schemas of the OQS messages (oqs-interface.md §2), one per interface id. They mirror
 * `types.ts` exactly; `defineMessage` fails to compile if a schema and its type drift apart.
 * Element order here is the order the writer emits; the reader accepts any order.
 */
import { defineMessage, group, text } from '../xml/schema.ts';
import type {
  QualificationConfirmRequest,
  QualificationConfirmResult,
  ReferenceNumberRegistrationRequest,
  ReferenceNumberRegistrationResult,
} from './types.ts';

const required = { required: true } as const;
const opt = text();
const req = text(required);

/** Children of QualificationConfirmSearchInfo (shared with the batch schemas). */
export const searchInfoChildren = {
  InsurerNumber: req,
  InsuredCardSymbol: opt,
  InsuredIdentificationNumber: req,
  InsuredBranchNumber: opt,
  Birthdate: req,
  LimitApplicationCertificateRelatedConsFlg: req,
  ArbitraryIdentifier: opt,
} as const;

/** OQS-IF-001 資格確認要求 (`OQSsiquc01req_`). */
export const qualificationConfirmRequestSchema = defineMessage<QualificationConfirmRequest>()(
  'OQS-IF-001',
  'QualificationConfirmRequest',
  {
    MessageHeader: group(
      { QualificationConfirmationDate: req, MedicalInstitutionCode: req, ArbitraryFileIdentifier: opt },
      required,
    ),
    MessageBody: group({ QualificationConfirmSearchInfo: group(searchInfoChildren, required) }, required),
  },
);

const resultHeader = group(
  {
    ProcessExecutionTime: req,
    QualificationConfirmationDate: opt,
    // Optional only so that an error result can answer a request whose header could not be read.
    MedicalInstitutionCode: opt,
    ArbitraryFileIdentifier: opt,
    ReferenceClassification: opt,
    SegmentOfResult: req,
    ErrorCode: opt,
    ErrorMessage: opt,
    CharacterCodeIdentifier: req,
  },
  required,
);

const elderlyRecipientCertificateInfo = group({
  ElderlyRecipientCertificateDate: opt,
  ElderlyRecipientValidStartDate: opt,
  ElderlyRecipientValidEndDate: opt,
  ElderlyRecipientContributionRatio: opt,
});

const limitApplicationCertificateRelatedInfo = group({
  LimitApplicationCertificateClassification: opt,
  LimitApplicationCertificateClassificationFlag: opt,
  LimitApplicationCertificateDate: opt,
  LimitApplicationCertificateValidStartDate: opt,
  LimitApplicationCertificateValidEndDate: opt,
  LimitApplicationCertificateLongTermDate: opt,
});

const specificDiseasesCertificateList = group({
  SpecificDiseasesCertificateInfo: group(
    {
      SpecificDiseasesDiseaseCategory: opt,
      SpecificDiseasesCertificateDate: opt,
      SpecificDiseasesValidStartDate: opt,
      SpecificDiseasesValidEndDate: opt,
      SpecificDiseasesSelfPay: opt,
    },
    { required: true, repeated: true },
  ),
});

/** Children of ResultOfQualificationConfirmation (shared with the batch schemas). */
export const resultOfQualificationConfirmationChildren = {
  InsuredCardClassification: req,
  InsurerNumber: opt,
  InsuredCardSymbol: opt,
  InsuredIdentificationNumber: opt,
  InsuredBranchNumber: opt,
  PersonalFamilyClassification: opt,
  InsuredName: opt,
  Name: req,
  NameOfOther: opt,
  NameKana: opt,
  NameOfOtherKana: opt,
  Sex1: req,
  Sex2: opt,
  Birthdate: req,
  Address: opt,
  PostNumber: opt,
  QualificationDate: opt,
  DisqualificationDate: opt,
  InsuredCertificateIssuanceDate: opt,
  InsuredCardValidDate: opt,
  InsuredCardExpirationDate: opt,
  InsuredPartialContributionRatio: opt,
  PreschoolClassification: opt,
  ReasonOfLoss: opt,
  InsurerName: req,
  ElderlyRecipientCertificateInfo: elderlyRecipientCertificateInfo,
  LimitApplicationCertificateRelatedConsFlg: opt,
  LimitApplicationCertificateRelatedConsTime: opt,
  LimitApplicationCertificateRelatedInfo: limitApplicationCertificateRelatedInfo,
  SpecificDiseasesCertificateRelatedConsFlg: opt,
  SpecificDiseasesCertificateRelatedConsTime: opt,
  SpecificDiseasesCertificateList: specificDiseasesCertificateList,
  SpecificHealthCheckupsInfoConsFlg: opt,
  SpecificHealthCheckupsInfoConsTime: opt,
  SpecificHealthCheckupsInfoAvailableTime: opt,
  PharmacistsInfoConsFlg: opt,
  PharmacistsInfoConsTime: opt,
  PharmacistsInfoAvailableTime: opt,
  DiagnosisInfoConsFlg: opt,
  DiagnosisInfoConsTime: opt,
  DiagnosisInfoAvailableTime: opt,
  OperationInfoConsFlg: opt,
  OperationInfoConsTime: opt,
  OperationInfoAvailableTime: opt,
  ArbitraryIdentifier: opt,
  ReferenceNumber: opt,
} as const;

const resultOfQualificationConfirmation = group(resultOfQualificationConfirmationChildren, {
  required: true,
  repeated: true,
});

/** OQS-IF-002 資格確認結果 (`OQSsiquc01res_`, and the `face` files). */
export const qualificationConfirmResultSchema = defineMessage<QualificationConfirmResult>()(
  'OQS-IF-002',
  'QualificationConfirmResult',
  {
    MessageHeader: resultHeader,
    MessageBody: group(
      {
        ProcessingResultStatus: opt,
        ProcessingResultCode: opt,
        ProcessingResultMessage: opt,
        QualificationValidity: opt,
        QualificationConfirmSearchInfo: group(searchInfoChildren),
        PrescriptionIssueSelect: opt,
        ResultList: group({ ResultOfQualificationConfirmation: resultOfQualificationConfirmation }),
      },
      required,
    ),
  },
);

/** OQS-IF-003 照会番号登録要求 (`OQSsiimm01req_`). */
export const referenceNumberRegistrationRequestSchema = defineMessage<ReferenceNumberRegistrationRequest>()(
  'OQS-IF-003',
  'ReferenceNumberRegistrationRequest',
  {
    MessageHeader: group({ MedicalInstitutionCode: req, ArbitraryFileIdentifier: opt }, required),
    MessageBody: group(
      {
        ReferenceNumberRegistrationInfo: group(
          {
            ReferenceNumber: req,
            InsurerNumber: req,
            InsuredCardSymbol: opt,
            InsuredIdentificationNumber: req,
            InsuredBranchNumber: opt,
            Birthdate: opt,
            ArbitraryIdentifier: opt,
          },
          required,
        ),
      },
      required,
    ),
  },
);

/** OQS-IF-004 照会番号登録結果 (`OQSsiimm01res_`). */
export const referenceNumberRegistrationResultSchema = defineMessage<ReferenceNumberRegistrationResult>()(
  'OQS-IF-004',
  'ReferenceNumberRegistrationResult',
  {
    MessageHeader: resultHeader,
    MessageBody: group(
      {
        ProcessingResultStatus: opt,
        ProcessingResultCode: opt,
        ProcessingResultMessage: opt,
        ReferenceNumber: opt,
        ArbitraryIdentifier: opt,
      },
      required,
    ),
  },
);

export * from './medinfo.schemas.ts';
