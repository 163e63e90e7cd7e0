/**
 * Wire shapes of the OQS messages (oqs-interface.md §2). Property names are the XML element names,
 * exactly; values are the strings as they appear on the wire (yyyyMMdd dates, 3-digit ratios,
 * space-padded insurer numbers). The JSON form of a message is this object under an `XmlMsg` key.
 *
 * Optional elements are omitted when empty. Repeated elements are arrays.
 */

// ---------------------------------------------------------------- OQS-IF-001 資格確認要求

export interface QualificationConfirmSearchInfo {
  InsurerNumber: string;
  InsuredCardSymbol?: string;
  InsuredIdentificationNumber: string;
  InsuredBranchNumber?: string;
  Birthdate: string;
  /** OQSCD001 */
  LimitApplicationCertificateRelatedConsFlg: string;
  ArbitraryIdentifier?: string;
}

export interface QualificationConfirmRequest {
  MessageHeader: {
    QualificationConfirmationDate: string;
    MedicalInstitutionCode: string;
    ArbitraryFileIdentifier?: string;
  };
  MessageBody: {
    QualificationConfirmSearchInfo: QualificationConfirmSearchInfo;
  };
}

// ---------------------------------------------------------------- OQS-IF-002 資格確認結果

export interface ResultMessageHeader {
  ProcessExecutionTime: string;
  QualificationConfirmationDate?: string;
  /** Always set on answers; absent only on an error result for a request whose header was unreadable. */
  MedicalInstitutionCode?: string;
  ArbitraryFileIdentifier?: string;
  /** OQSCD002 */
  ReferenceClassification?: string;
  /** OQSCD003 */
  SegmentOfResult: string;
  ErrorCode?: string;
  ErrorMessage?: string;
  /** OQSCD005 */
  CharacterCodeIdentifier: string;
}

export interface ElderlyRecipientCertificateInfo {
  ElderlyRecipientCertificateDate?: string;
  ElderlyRecipientValidStartDate?: string;
  ElderlyRecipientValidEndDate?: string;
  ElderlyRecipientContributionRatio?: string;
}

export interface LimitApplicationCertificateRelatedInfo {
  LimitApplicationCertificateClassification?: string;
  LimitApplicationCertificateClassificationFlag?: string;
  LimitApplicationCertificateDate?: string;
  LimitApplicationCertificateValidStartDate?: string;
  LimitApplicationCertificateValidEndDate?: string;
  LimitApplicationCertificateLongTermDate?: string;
}

export interface SpecificDiseasesCertificateInfo {
  SpecificDiseasesDiseaseCategory?: string;
  SpecificDiseasesCertificateDate?: string;
  SpecificDiseasesValidStartDate?: string;
  SpecificDiseasesValidEndDate?: string;
  SpecificDiseasesSelfPay?: string;
}

export interface ResultOfQualificationConfirmation {
  InsuredCardClassification: string;
  InsurerNumber?: string;
  InsuredCardSymbol?: string;
  InsuredIdentificationNumber?: string;
  InsuredBranchNumber?: string;
  PersonalFamilyClassification?: string;
  InsuredName?: string;
  Name: string;
  NameOfOther?: string;
  NameKana?: string;
  NameOfOtherKana?: string;
  Sex1: string;
  Sex2?: string;
  Birthdate: string;
  Address?: string;
  PostNumber?: string;
  QualificationDate?: string;
  DisqualificationDate?: string;
  InsuredCertificateIssuanceDate?: string;
  InsuredCardValidDate?: string;
  InsuredCardExpirationDate?: string;
  InsuredPartialContributionRatio?: string;
  PreschoolClassification?: string;
  ReasonOfLoss?: string;
  InsurerName: string;
  ElderlyRecipientCertificateInfo?: ElderlyRecipientCertificateInfo;
  LimitApplicationCertificateRelatedConsFlg?: string;
  LimitApplicationCertificateRelatedConsTime?: string;
  LimitApplicationCertificateRelatedInfo?: LimitApplicationCertificateRelatedInfo;
  SpecificDiseasesCertificateRelatedConsFlg?: string;
  SpecificDiseasesCertificateRelatedConsTime?: string;
  SpecificDiseasesCertificateList?: { SpecificDiseasesCertificateInfo: SpecificDiseasesCertificateInfo[] };
  SpecificHealthCheckupsInfoConsFlg?: string;
  SpecificHealthCheckupsInfoConsTime?: string;
  SpecificHealthCheckupsInfoAvailableTime?: string;
  PharmacistsInfoConsFlg?: string;
  PharmacistsInfoConsTime?: string;
  PharmacistsInfoAvailableTime?: string;
  DiagnosisInfoConsFlg?: string;
  DiagnosisInfoConsTime?: string;
  DiagnosisInfoAvailableTime?: string;
  OperationInfoConsFlg?: string;
  OperationInfoConsTime?: string;
  OperationInfoAvailableTime?: string;
  ArbitraryIdentifier?: string;
  ReferenceNumber?: string;
}

export interface QualificationConfirmResultBody {
  /** OQSCD004 */
  ProcessingResultStatus?: string;
  ProcessingResultCode?: string;
  ProcessingResultMessage?: string;
  /** OQSCD006 */
  QualificationValidity?: string;
  QualificationConfirmSearchInfo?: QualificationConfirmSearchInfo;
  /** OQSCD017 */
  PrescriptionIssueSelect?: string;
  ResultList?: { ResultOfQualificationConfirmation: ResultOfQualificationConfirmation[] };
}

export interface QualificationConfirmResult {
  MessageHeader: ResultMessageHeader;
  MessageBody: QualificationConfirmResultBody;
}

// ---------------------------------------------------------------- OQS-IF-003/004 照会番号登録

export interface ReferenceNumberRegistrationInfo {
  ReferenceNumber: string;
  InsurerNumber: string;
  InsuredCardSymbol?: string;
  InsuredIdentificationNumber: string;
  InsuredBranchNumber?: string;
  /** Not in every client's request; when present it narrows the search like in OQS-IF-001. */
  Birthdate?: string;
  ArbitraryIdentifier?: string;
}

export interface ReferenceNumberRegistrationRequest {
  MessageHeader: {
    MedicalInstitutionCode: string;
    ArbitraryFileIdentifier?: string;
  };
  MessageBody: {
    ReferenceNumberRegistrationInfo: ReferenceNumberRegistrationInfo;
  };
}

export interface ReferenceNumberRegistrationResult {
  MessageHeader: ResultMessageHeader;
  MessageBody: {
    ProcessingResultStatus?: string;
    ProcessingResultCode?: string;
    ProcessingResultMessage?: string;
    ReferenceNumber?: string;
    ArbitraryIdentifier?: string;
  };
}

export type * from './medinfo.types.ts';

// ---------------------------------------------------------------- OQS-IF-005…012 一括照会・照会番号一括登録

/**
 * A row of a batch upload. Every element is optional at the schema level on purpose: a malformed
 * row (a missing 保険者番号, a bad date) is answered by its row number with a code, and does not
 * make the whole file unreadable. The central service validates each row as a single check does.
 */
export type BulkQualificationConfirmSearchInfo = Partial<QualificationConfirmSearchInfo>;

/** OQS-IF-005 資格確認一括照会要求 (`OQSmuquc01req_`): one QualificationConfirmSearchInfo per patient. */
export interface BulkQualificationConfirmRequest {
  MessageHeader: {
    /** The planned visit date: validity is judged on it. */
    QualificationConfirmationDate: string;
    MedicalInstitutionCode: string;
    ArbitraryFileIdentifier?: string;
  };
  MessageBody: {
    QualificationConfirmSearchInfo: BulkQualificationConfirmSearchInfo[];
  };
}

/** The header of the two-phase answers (01res, 02res). */
export interface BulkResultMessageHeader extends ResultMessageHeader {
  /** 受付番号 */
  ReceptionNumber?: string;
  /** 件数: every row of the upload. */
  NumberOfProcessingResult?: string;
  /** 正常件数: rows answered with ProcessingResultStatus 1. */
  NumberOfNormalProcessing?: string;
  /** 異常件数: rows answered with ProcessingResultStatus 2 (malformed rows included). */
  NumberOfError?: string;
}

/** OQS-IF-006 / OQS-IF-010 アップロード結果 (`OQSmuquc01res_`, `OQSmuimm01res_`). */
export interface BulkUploadResult {
  MessageHeader: BulkResultMessageHeader;
  MessageBody: {
    /** 受付番号: send it back in the 02req. */
    ReceptionNumber?: string;
    /** 受付日時 yyyyMMddHHmmss */
    ReceptionDateTime?: string;
    ProcessingResultStatus?: string;
    ProcessingResultCode?: string;
    ProcessingResultMessage?: string;
  };
}

/** OQS-IF-007 / OQS-IF-011 ダウンロード要求 (`OQSmuquc02req_`, `OQSmuimm02req_`). */
export interface BulkDownloadRequest {
  MessageHeader: {
    MedicalInstitutionCode: string;
    ArbitraryFileIdentifier?: string;
  };
  MessageBody: {
    ReceptionNumber: string;
  };
}

/** A batch result for one person: the single check's result plus OQSCD014 (batch only). */
export interface BulkResultOfQualificationConfirmation extends ResultOfQualificationConfirmation {
  /** OQSCD014 限度額適用認定証情報変更有無 */
  LimitApplicationCertificateChanged?: string;
}

/** One row's answer in an `OQSmuquc02res_`. */
export interface BulkConfirmUnit {
  /** Position of the row in the upload, from 1 (an onshi extension; the units keep upload order). */
  RowNumber?: string;
  QualificationConfirmSearchInfo?: BulkQualificationConfirmSearchInfo;
  /** OQSCD004 */
  ProcessingResultStatus: string;
  ProcessingResultCode?: string;
  ProcessingResultMessage?: string;
  /** OQSCD006 */
  QualificationValidity?: string;
  ResultOfQualificationConfirmation?: BulkResultOfQualificationConfirmation;
  ReferenceNumber?: string;
}

/**
 * OQS-IF-008 資格確認一括照会結果 (`OQSmuquc02res_`). `SegmentOfResult` 2 (処理中): no units yet,
 * ask again; 1: every unit, in upload order, with the counts in the header.
 */
export interface BulkQualificationConfirmResult {
  MessageHeader: BulkResultMessageHeader;
  MessageBody: {
    BulkConfirmUnit?: BulkConfirmUnit[];
  };
}

/** A row of a batch 照会番号 registration; optional at the schema level like the batch check's rows. */
export type BulkReferenceNumberRegistrationInfo = Partial<ReferenceNumberRegistrationInfo>;

/** OQS-IF-009 照会番号一括登録要求 (`OQSmuimm01req_`). */
export interface BulkReferenceNumberRegistrationRequest {
  MessageHeader: {
    MedicalInstitutionCode: string;
    ArbitraryFileIdentifier?: string;
  };
  MessageBody: {
    ReferenceNumberRegistrationInfo: BulkReferenceNumberRegistrationInfo[];
  };
}

/** One row's answer in an `OQSmuimm02res_` (unit name as in the batch check: inferred). */
export interface BulkReferenceNumberRegistrationUnit {
  RowNumber?: string;
  ReferenceNumberRegistrationInfo?: BulkReferenceNumberRegistrationInfo;
  ProcessingResultStatus: string;
  ProcessingResultCode?: string;
  ProcessingResultMessage?: string;
  ReferenceNumber?: string;
  ArbitraryIdentifier?: string;
}

/** OQS-IF-012 照会番号一括登録結果 (`OQSmuimm02res_`). */
export interface BulkReferenceNumberRegistrationResult {
  MessageHeader: BulkResultMessageHeader;
  MessageBody: {
    BulkConfirmUnit?: BulkReferenceNumberRegistrationUnit[];
  };
}
