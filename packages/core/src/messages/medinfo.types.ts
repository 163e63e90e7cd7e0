/**
 * Wire shapes of the medical-information retrievals (oqs-interface.md §2.7): 薬剤情報 (`YZK…`) and
 * 特定健診情報 (`TKK…`). Element names are those a production client sends and reads (§2.7, one
 * source, "confirm against the spec"). Where §2.7 is silent the names are onshi's, chosen in the
 * same style, and marked `onshi:` here and in `medinfo.schemas.ts`.
 */

// ---------------------------------------------------------------- requests

/**
 * The header of a YZK / TKK request: the card data sits in the header, with names that differ from
 * OQS-IF-001 (*Insurance*CardSymbol, *InsuredPerson*IdentificationNumber, BranchNumber).
 */
export interface MedicalInformationRequestHeader {
  MedicalInstitutionCode: string;
  /** 保険者番号 (8 characters; 6 digits may be space-padded). */
  InsurerNumber?: string;
  /** 被保険者証記号 */
  InsuranceCardSymbol?: string;
  /** 被保険者証番号 */
  InsuredPersonIdentificationNumber?: string;
  /** 枝番 */
  BranchNumber?: string;
  /** onshi: 生年月日 yyyyMMdd — optional (§2.7 has none); when given, an extra check on the person. */
  Birthdate?: string;
  /**
   * onshi: 災害時 only — the internal person id a disaster search (POST /oqs/v1/disaster-searches)
   * returned, instead of the card data.
   */
  DisasterPersonIdentifier?: string;
  ArbitraryFileIdentifier?: string;
}

/** YZK 薬剤情報 request (`YZKsiquc01req_`). */
export interface MedicationInformationRequest {
  MessageHeader: MedicalInformationRequestHeader;
  MessageBody: {
    /** 取得期間 from, 診療年月 yyyyMM. */
    StartDate?: string;
    /** 取得期間 to, 診療年月 yyyyMM. */
    EndDate?: string;
    /** 1 PDF, 2 XML (3 / 4: with 診療・手術情報 — not provided by onshi). */
    FileCategory?: string;
    /** Always 1 in the client; meaning unknown (accepted, not interpreted). */
    PrDiInfClassification?: string;
    /** OQSCD028 診療区分 */
    MedicalTreatmentFlag?: string;
    /** onshi: 災害時 — the reason for viewing without consent; its presence selects disaster mode. */
    DisasterUseReason?: string;
  };
}

/** TKK 特定健診情報 request (`TKKsiquc01req_`): no period (every kept examination, 5 years). */
export interface CheckupInformationRequest {
  MessageHeader: MedicalInformationRequestHeader;
  MessageBody: {
    /** 1 PDF, 2 XML */
    FileCategory?: string;
    /** OQSCD028 診療区分 */
    MedicalTreatmentFlag?: string;
    /** onshi: as in the YZK request. */
    DisasterUseReason?: string;
  };
}

// ---------------------------------------------------------------- results

/**
 * onshi: the status part of a YZK / TKK result header, as in OQS-IF-002 (§2.7 does not show the
 * header beyond the patient block): SegmentOfResult OQSCD003, ErrorCode / ErrorMessage on errors,
 * CharacterCodeIdentifier OQSCD005.
 */
export interface MedicalInformationResultHeader {
  ProcessExecutionTime: string;
  MedicalInstitutionCode?: string;
  ArbitraryFileIdentifier?: string;
  SegmentOfResult: string;
  ErrorCode?: string;
  ErrorMessage?: string;
  CharacterCodeIdentifier: string;
}

/** The patient block of a YZK result (`MessageHeader/QuaInf`). */
export interface MedicationPatientInfo {
  Name?: string;
  KanaName?: string;
  /** yyyyMMdd */
  Birth?: string;
  /** onshi's reading: OQSCD007 (1 男, 2 女, 3 未設定). */
  AdmGendCode?: string;
}

export interface MedicationInformationResultHeader extends MedicalInformationResultHeader {
  QuaInf?: MedicationPatientInfo;
}

/** One drug of a day (`DrugInfs/DrugInf`). */
export interface DrugInfo {
  /** 薬剤コード (レセ電 医薬品コード) */
  DrugC?: string;
  /** 薬剤名 */
  DrugN: string;
  /** 成分名 */
  IngreN?: string;
  /** 使用量 as written in the claim */
  Qua1?: string;
  Unit?: string;
  /** 用法 */
  UsageN?: string;
  /** 特別指示 */
  SpInst?: string;
  /** 日数 (内服) or 回数 */
  Times?: string;
  /** 診療識別 (医科) or 剤形コード (調剤) */
  MeTrIdCl?: string;
}

/** One dispensing / treatment day (`DiDateInfs/DiDateInf`). */
export interface MedicationDateInfo {
  /** 調剤日 / 診療日 yyyyMMdd */
  DiDate: string;
  /** 処方日 yyyyMMdd (調剤) */
  PrDate?: string;
  DrugInfs: { DrugInf: DrugInfo[] };
}

/** One month at one institution (`MessageBody/MeTrMonthInf`, claims-derived). */
export interface MedicationMonthInfo {
  /** onshi's reading: 点数表 of the dispensing / treating institution (1 医科, 3 歯科, 4 調剤). */
  DiOrg?: string;
  /** 調剤・診療 医療機関コード */
  MeTrDiHCd?: string;
  /** its name */
  MeTrDiHNm?: string;
  /** 処方 医療機関コード (spelled with a lower-case L by the client) */
  PrlsHCd?: string;
  PrlsHNm?: string;
  /** 診療年月 yyyyMM */
  MeTrMonth: string;
  /** onshi's reading: 点数表 of the prescribing institution. */
  PrIsOrg?: string;
  /** 入外 */
  InOut?: string;
  DiDateInfs: { DiDateInf: MedicationDateInfo[] };
}

/** YZK 薬剤情報 result (`YZKsiquc01res_`). */
export interface MedicationInformationResult {
  MessageHeader: MedicationInformationResultHeader;
  MessageBody: {
    /** '1' 正常 (§2.7); onshi: '2' エラー. */
    ResultCode: string;
    /** The error text when ResultCode is not 1. */
    MessageContents?: string;
    /** onshi: the period answered, yyyyMM. */
    StartDate?: string;
    /** onshi: the period answered, yyyyMM. */
    EndDate?: string;
    MeTrMonthInf?: MedicationMonthInfo[];
  };
}

/** The patient block of a TKK result (`MessageHeader/QualificationsInfo`). */
export interface CheckupPatientInfo {
  Name?: string;
  /** sic: spelled so by the client (§2.7). */
  KanasName?: string;
  /** yyyyMMdd */
  Birthday?: string;
  /** onshi's reading: OQSCD007. */
  AdministrativeGenderCode?: string;
}

export interface CheckupInformationResultHeader extends MedicalInformationResultHeader {
  QualificationsInfo?: CheckupPatientInfo;
}

/** One item of an examination. */
export interface CheckupItemInfo {
  /** 特定健診 項目コード */
  ItemCode: string;
  ItemName: string;
  /** PQ, CD, CO, ST (CDA value type) */
  DataType?: string;
  DataValue?: string;
  Unit?: string;
  /** OID of the item code system */
  Oid?: string;
  /** display name of a coded value */
  DataValueName?: string;
  /** onshi: 基準範囲 lower bound */
  ReferenceRangeLow?: string;
  /** onshi: 基準範囲 upper bound */
  ReferenceRangeHigh?: string;
  /** onshi: 判定 (CDA interpretationCode: H, L, N …) */
  InterpretationCode?: string;
}

/** One examination (`MessageBody/SpecificHealthCheckupInfo`). */
export interface SpecificHealthCheckupInfo {
  /** 実施日 yyyyMMdd */
  EffectiveTime: string;
  /** onshi: 健診機関番号 (10 digits). */
  HealthCheckupInstitutionCode?: string;
  HealthCheckupResultAndQuestionInfos: { HealthCheckupResultAndQuestionInfo: CheckupItemInfo[] };
}

/** TKK 特定健診情報 result (`TKKsiquc01res_`). */
export interface CheckupInformationResult {
  MessageHeader: CheckupInformationResultHeader;
  MessageBody: {
    /** '1' 正常 (§2.7); onshi: '2' エラー. */
    ResultCode: string;
    MessageContents?: string;
    SpecificHealthCheckupInfo?: SpecificHealthCheckupInfo[];
  };
}
