/**
 * Schemas of the two-phase batch messages (oqs-interface.md §2.4, §2.5): 資格確認一括照会
 * (OQS-IF-005…008, `OQSmuquc01req_` … `OQSmuquc02res_`) and 照会番号一括登録 (OQS-IF-009…012,
 * `OQSmuimm01req_` … `OQSmuimm02res_`). Rows of an upload have no required element, so that a
 * malformed row is answered by its number instead of failing the file (the central service
 * validates each row). Names the public material does not show are marked (inferred) in types.ts.
 */
import { defineMessage, group, text } from '../xml/schema.ts';
import { resultOfQualificationConfirmationChildren, searchInfoChildren } from './schemas.ts';
import type {
  BulkDownloadRequest,
  BulkQualificationConfirmRequest,
  BulkQualificationConfirmResult,
  BulkReferenceNumberRegistrationRequest,
  BulkReferenceNumberRegistrationResult,
  BulkUploadResult,
} from './types.ts';

const required = { required: true } as const;
const opt = text();
const req = text(required);

/** Every child of a row made optional (see the file header). */
function optionalChildren<C extends Record<string, unknown>>(children: C): { [K in keyof C]: typeof opt } {
  return Object.fromEntries(Object.keys(children).map((k) => [k, opt])) as { [K in keyof C]: typeof opt };
}

const bulkSearchInfo = optionalChildren(searchInfoChildren);

const registrationInfoChildren = {
  ReferenceNumber: opt,
  InsurerNumber: opt,
  InsuredCardSymbol: opt,
  InsuredIdentificationNumber: opt,
  InsuredBranchNumber: opt,
  Birthdate: opt,
  ArbitraryIdentifier: opt,
} as const;

const bulkHeader = group(
  {
    ProcessExecutionTime: req,
    QualificationConfirmationDate: opt,
    MedicalInstitutionCode: opt,
    ArbitraryFileIdentifier: opt,
    ReceptionNumber: opt,
    ReferenceClassification: opt,
    SegmentOfResult: req,
    ErrorCode: opt,
    ErrorMessage: opt,
    NumberOfProcessingResult: opt,
    NumberOfNormalProcessing: opt,
    NumberOfError: opt,
    CharacterCodeIdentifier: req,
  },
  required,
);

const uploadResultChildren = {
  MessageHeader: bulkHeader,
  MessageBody: group(
    {
      ReceptionNumber: opt,
      ReceptionDateTime: opt,
      ProcessingResultStatus: opt,
      ProcessingResultCode: opt,
      ProcessingResultMessage: opt,
    },
    required,
  ),
} as const;

const downloadRequestChildren = {
  MessageHeader: group({ MedicalInstitutionCode: req, ArbitraryFileIdentifier: opt }, required),
  MessageBody: group({ ReceptionNumber: req }, required),
} as const;

/** OQS-IF-005 資格確認一括照会要求 (`OQSmuquc01req_`). */
export const bulkQualificationConfirmRequestSchema = defineMessage<BulkQualificationConfirmRequest>()(
  'OQS-IF-005',
  'BulkQualificationConfirmRequest',
  {
    MessageHeader: group(
      { QualificationConfirmationDate: req, MedicalInstitutionCode: req, ArbitraryFileIdentifier: opt },
      required,
    ),
    MessageBody: group(
      { QualificationConfirmSearchInfo: group(bulkSearchInfo, { required: true, repeated: true }) },
      required,
    ),
  },
);

/** OQS-IF-006 資格確認一括照会アップロード結果 (`OQSmuquc01res_`). */
export const bulkQualificationConfirmUploadResultSchema = defineMessage<BulkUploadResult>()(
  'OQS-IF-006',
  'BulkQualificationConfirmUploadResult',
  uploadResultChildren,
);

/** OQS-IF-007 資格確認一括照会ダウンロード要求 (`OQSmuquc02req_`). */
export const bulkQualificationConfirmDownloadRequestSchema = defineMessage<BulkDownloadRequest>()(
  'OQS-IF-007',
  'BulkQualificationConfirmDownloadRequest',
  downloadRequestChildren,
);

/** OQS-IF-008 資格確認一括照会結果 (`OQSmuquc02res_`). */
export const bulkQualificationConfirmResultSchema = defineMessage<BulkQualificationConfirmResult>()(
  'OQS-IF-008',
  'BulkQualificationConfirmResult',
  {
    MessageHeader: bulkHeader,
    MessageBody: group(
      {
        BulkConfirmUnit: group(
          {
            RowNumber: opt,
            QualificationConfirmSearchInfo: group(bulkSearchInfo),
            ProcessingResultStatus: req,
            ProcessingResultCode: opt,
            ProcessingResultMessage: opt,
            QualificationValidity: opt,
            ResultOfQualificationConfirmation: group({
              ...resultOfQualificationConfirmationChildren,
              LimitApplicationCertificateChanged: opt,
            }),
            ReferenceNumber: opt,
          },
          { repeated: true },
        ),
      },
      required,
    ),
  },
);

/** OQS-IF-009 照会番号一括登録要求 (`OQSmuimm01req_`). */
export const bulkReferenceNumberRegistrationRequestSchema =
  defineMessage<BulkReferenceNumberRegistrationRequest>()(
    'OQS-IF-009',
    'BulkReferenceNumberRegistrationRequest',
    {
      MessageHeader: group({ MedicalInstitutionCode: req, ArbitraryFileIdentifier: opt }, required),
      MessageBody: group(
        {
          ReferenceNumberRegistrationInfo: group(registrationInfoChildren, {
            required: true,
            repeated: true,
          }),
        },
        required,
      ),
    },
  );

/** OQS-IF-010 照会番号一括登録アップロード結果 (`OQSmuimm01res_`). */
export const bulkReferenceNumberRegistrationUploadResultSchema = defineMessage<BulkUploadResult>()(
  'OQS-IF-010',
  'BulkReferenceNumberRegistrationUploadResult',
  uploadResultChildren,
);

/** OQS-IF-011 照会番号一括登録ダウンロード要求 (`OQSmuimm02req_`). */
export const bulkReferenceNumberRegistrationDownloadRequestSchema = defineMessage<BulkDownloadRequest>()(
  'OQS-IF-011',
  'BulkReferenceNumberRegistrationDownloadRequest',
  downloadRequestChildren,
);

/** OQS-IF-012 照会番号一括登録結果 (`OQSmuimm02res_`). */
export const bulkReferenceNumberRegistrationResultSchema =
  defineMessage<BulkReferenceNumberRegistrationResult>()(
    'OQS-IF-012',
    'BulkReferenceNumberRegistrationResult',
    {
      MessageHeader: bulkHeader,
      MessageBody: group(
        {
          BulkConfirmUnit: group(
            {
              RowNumber: opt,
              ReferenceNumberRegistrationInfo: group(registrationInfoChildren),
              ProcessingResultStatus: req,
              ProcessingResultCode: opt,
              ProcessingResultMessage: opt,
              ReferenceNumber: opt,
              ArbitraryIdentifier: opt,
            },
            { repeated: true },
          ),
        },
        required,
      ),
    },
  );
