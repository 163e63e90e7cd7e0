/**
 * Sample batch messages (OQS-IF-005…012) for tests, benchmarks and demos (fictitious people and
 * numbers). Not exported from the package index.
 */
import { sampleConfirmResult } from './samples.ts';
import type {
  BulkDownloadRequest,
  BulkQualificationConfirmRequest,
  BulkQualificationConfirmResult,
  BulkReferenceNumberRegistrationRequest,
  BulkReferenceNumberRegistrationResult,
  BulkUploadResult,
} from './types.ts';

/** Three reserved patients for tomorrow; the third row lacks its 保険者番号 (answered as an error). */
export const sampleBulkConfirmRequest: BulkQualificationConfirmRequest = {
  MessageHeader: {
    QualificationConfirmationDate: '20240402',
    MedicalInstitutionCode: '1311234567',
    ArbitraryFileIdentifier: '202404010001',
  },
  MessageBody: {
    QualificationConfirmSearchInfo: [
      {
        InsurerNumber: '  123456',
        InsuredCardSymbol: '１２３',
        InsuredIdentificationNumber: '4567',
        InsuredBranchNumber: '01',
        Birthdate: '19600115',
        LimitApplicationCertificateRelatedConsFlg: '1',
        ArbitraryIdentifier: 'P000123_20240402_1',
      },
      {
        InsurerNumber: '06139992',
        InsuredCardSymbol: 'ｱｲｳ',
        InsuredIdentificationNumber: '88',
        Birthdate: '19851224',
        LimitApplicationCertificateRelatedConsFlg: '0',
        ArbitraryIdentifier: 'P000124_20240402_2',
      },
      {
        InsuredIdentificationNumber: '77',
        Birthdate: '19900101',
        LimitApplicationCertificateRelatedConsFlg: '0',
        ArbitraryIdentifier: 'P000125_20240402_3',
      },
    ],
  },
};

export const sampleBulkUploadResult: BulkUploadResult = {
  MessageHeader: {
    ProcessExecutionTime: '20240401183000',
    QualificationConfirmationDate: '20240402',
    MedicalInstitutionCode: '1311234567',
    ArbitraryFileIdentifier: '202404010001',
    ReceptionNumber: '20240401183000123456',
    SegmentOfResult: '1',
    NumberOfProcessingResult: '3',
    NumberOfError: '1',
    CharacterCodeIdentifier: '0',
  },
  MessageBody: {
    ReceptionNumber: '20240401183000123456',
    ReceptionDateTime: '20240401183000',
    ProcessingResultStatus: '1',
  },
};

export const sampleBulkDownloadRequest: BulkDownloadRequest = {
  MessageHeader: { MedicalInstitutionCode: '1311234567', ArbitraryFileIdentifier: '202404010002' },
  MessageBody: { ReceptionNumber: '20240401183000123456' },
};

const [person] = sampleConfirmResult.MessageBody.ResultList?.ResultOfQualificationConfirmation ?? [];

/** The finished answer to `sampleBulkConfirmRequest`: 有効 with 限度額 changed, 該当資格なし, a row error. */
export const sampleBulkConfirmResult: BulkQualificationConfirmResult = {
  MessageHeader: {
    ProcessExecutionTime: '20240401183012',
    QualificationConfirmationDate: '20240402',
    MedicalInstitutionCode: '1311234567',
    ArbitraryFileIdentifier: '202404010001',
    ReceptionNumber: '20240401183000123456',
    ReferenceClassification: '2',
    SegmentOfResult: '1',
    NumberOfProcessingResult: '3',
    NumberOfNormalProcessing: '2',
    NumberOfError: '1',
    CharacterCodeIdentifier: '0',
  },
  MessageBody: {
    BulkConfirmUnit: [
      {
        RowNumber: '1',
        QualificationConfirmSearchInfo:
          sampleBulkConfirmRequest.MessageBody.QualificationConfirmSearchInfo[0],
        ProcessingResultStatus: '1',
        QualificationValidity: '1',
        ResultOfQualificationConfirmation: {
          ...(person ?? {
            InsuredCardClassification: '01',
            Name: '',
            Sex1: '1',
            Birthdate: '',
            InsurerName: '',
          }),
          LimitApplicationCertificateChanged: '1',
        },
        ReferenceNumber: 'K-000123',
      },
      {
        RowNumber: '2',
        QualificationConfirmSearchInfo:
          sampleBulkConfirmRequest.MessageBody.QualificationConfirmSearchInfo[1],
        ProcessingResultStatus: '1',
        ProcessingResultCode: 'ELIGIBILITY_NOT_FOUND',
        ProcessingResultMessage: '該当する資格がありません。',
        QualificationValidity: '4',
      },
      {
        RowNumber: '3',
        QualificationConfirmSearchInfo:
          sampleBulkConfirmRequest.MessageBody.QualificationConfirmSearchInfo[2],
        ProcessingResultStatus: '2',
        ProcessingResultCode: 'MSG_FIELD_REQUIRED',
        ProcessingResultMessage: '必須項目 InsurerNumber がありません。',
      },
    ],
  },
};

/** 照会番号一括登録: two rows. */
export const sampleBulkRegistrationRequest: BulkReferenceNumberRegistrationRequest = {
  MessageHeader: { MedicalInstitutionCode: '1311234567', ArbitraryFileIdentifier: 'imm-0001' },
  MessageBody: {
    ReferenceNumberRegistrationInfo: [
      {
        ReferenceNumber: '診察券-0001',
        InsurerNumber: '  123456',
        InsuredIdentificationNumber: '4567',
        InsuredBranchNumber: '01',
        ArbitraryIdentifier: 'P000123',
      },
      { ReferenceNumber: '診察券-0002', InsurerNumber: '06139992', InsuredIdentificationNumber: '88' },
    ],
  },
};

export const sampleBulkRegistrationResult: BulkReferenceNumberRegistrationResult = {
  MessageHeader: {
    ProcessExecutionTime: '20240401183100',
    MedicalInstitutionCode: '1311234567',
    ArbitraryFileIdentifier: 'imm-0001',
    ReceptionNumber: '20240401183050654321',
    SegmentOfResult: '1',
    NumberOfProcessingResult: '2',
    NumberOfNormalProcessing: '1',
    NumberOfError: '1',
    CharacterCodeIdentifier: '0',
  },
  MessageBody: {
    BulkConfirmUnit: [
      {
        RowNumber: '1',
        ProcessingResultStatus: '1',
        ReferenceNumber: '診察券-0001',
        ArbitraryIdentifier: 'P000123',
      },
      {
        RowNumber: '2',
        ReferenceNumberRegistrationInfo:
          sampleBulkRegistrationRequest.MessageBody.ReferenceNumberRegistrationInfo[1],
        ProcessingResultStatus: '2',
        ProcessingResultCode: 'REFERENCE_NUMBER_TARGET_NOT_FOUND',
        ProcessingResultMessage: '照会番号を登録する資格が見つかりません。',
      },
    ],
  },
};

/** "Still processing": SegmentOfResult 2, no units. */
export const sampleBulkProcessingResult: BulkQualificationConfirmResult = {
  MessageHeader: {
    ProcessExecutionTime: '20240401183001',
    MedicalInstitutionCode: '1311234567',
    ReceptionNumber: '20240401183000123456',
    SegmentOfResult: '2',
    CharacterCodeIdentifier: '0',
  },
  MessageBody: {},
};
