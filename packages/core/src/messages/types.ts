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
