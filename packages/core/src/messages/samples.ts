/**
 * Realistic sample messages for tests, benchmarks and demos (fictitious people and numbers).
 * Not exported from the package index.
 */
import type {
  CheckupInformationRequest,
  CheckupInformationResult,
  MedicationInformationRequest,
  MedicationInformationResult,
} from './medinfo.types.ts';
import type {
  QualificationConfirmRequest,
  QualificationConfirmResult,
  ResultOfQualificationConfirmation,
} from './types.ts';

export const sampleConfirmRequest: QualificationConfirmRequest = {
  MessageHeader: {
    QualificationConfirmationDate: '20240401',
    MedicalInstitutionCode: '1311234567',
    ArbitraryFileIdentifier: 'req-000123',
  },
  MessageBody: {
    QualificationConfirmSearchInfo: {
      InsurerNumber: '  123456',
      InsuredCardSymbol: '１２３',
      InsuredIdentificationNumber: '4567',
      InsuredBranchNumber: '01',
      Birthdate: '19600115',
      LimitApplicationCertificateRelatedConsFlg: '1',
      ArbitraryIdentifier: 'P000123',
    },
  },
};

/** A face-file style result for one person with elderly, 限度額 and consent blocks (~2.5 KB as XML). */
export const sampleConfirmResult: QualificationConfirmResult = {
  MessageHeader: {
    ProcessExecutionTime: '20240401093015',
    QualificationConfirmationDate: '20240401',
    MedicalInstitutionCode: '1311234567',
    ArbitraryFileIdentifier: 'ArnHCeDfNjMCFzg=',
    ReferenceClassification: '1',
    SegmentOfResult: '1',
    CharacterCodeIdentifier: '0',
  },
  MessageBody: {
    ProcessingResultStatus: '1',
    QualificationValidity: '1',
    PrescriptionIssueSelect: '1',
    ResultList: {
      ResultOfQualificationConfirmation: [
        {
          InsuredCardClassification: '01',
          InsurerNumber: '  123456',
          InsuredCardSymbol: '１２３',
          InsuredIdentificationNumber: '4567',
          InsuredBranchNumber: '01',
          PersonalFamilyClassification: '1',
          InsuredName: '診療　太郎',
          Name: '診療　太郎',
          NameKana: 'ｼﾝﾘｮｳ ﾀﾛｳ',
          Sex1: '1',
          Birthdate: '19600115',
          Address: '東京都千代田区霞が関１－２－２　中央合同庁舎第５号館',
          PostNumber: '100-8916',
          InsuredCertificateIssuanceDate: '20230401',
          InsuredCardValidDate: '20230401',
          InsuredCardExpirationDate: '20250331',
          InsuredPartialContributionRatio: '030',
          InsurerName: '千代田区国民健康保険',
          ElderlyRecipientCertificateInfo: {
            ElderlyRecipientCertificateDate: '20230401',
            ElderlyRecipientValidStartDate: '20230401',
            ElderlyRecipientValidEndDate: '20250731',
            ElderlyRecipientContributionRatio: '020',
          },
          LimitApplicationCertificateRelatedConsFlg: '1',
          LimitApplicationCertificateRelatedConsTime: '20240401093012',
          PharmacistsInfoConsFlg: '1',
          PharmacistsInfoConsTime: '20240401093014',
          PharmacistsInfoAvailableTime: '20240402093014',
          ReferenceNumber: 'K-000123',
        },
      ],
    },
  },
};

/** A second result for the same person: 医療扶助 (medical assistance), as in oqs-interface.md §1.5. */
export const sampleMedicalAssistanceResult: ResultOfQualificationConfirmation = {
  InsuredCardClassification: '14',
  InsurerNumber: '12136017',
  InsuredIdentificationNumber: '7654321',
  Name: '診療　太郎',
  NameKana: 'ｼﾝﾘｮｳ ﾀﾛｳ',
  Sex1: '1',
  Birthdate: '19600115',
  QualificationDate: '20240301',
  InsurerName: '千代田区福祉事務所',
};

/**
 * `sampleConfirmResult` as a connector might write it to `face/`: indented, elements of the person in
 * a hash-like order (oqs-interface.md §1.5), single-quoted declaration.
 */
export const sampleFaceResultXml = `<?xml version='1.0' encoding='UTF-8' standalone='no'?>
<XmlMsg>
  <MessageHeader>
    <ProcessExecutionTime>20240401093015</ProcessExecutionTime>
    <QualificationConfirmationDate>20240401</QualificationConfirmationDate>
    <MedicalInstitutionCode>1311234567</MedicalInstitutionCode>
    <ArbitraryFileIdentifier>ArnHCeDfNjMCFzg=</ArbitraryFileIdentifier>
    <ReferenceClassification>1</ReferenceClassification>
    <SegmentOfResult>1</SegmentOfResult>
    <CharacterCodeIdentifier>0</CharacterCodeIdentifier>
  </MessageHeader>
  <MessageBody>
    <ProcessingResultStatus>1</ProcessingResultStatus>
    <QualificationValidity>1</QualificationValidity>
    <ResultList>
      <ResultOfQualificationConfirmation>
        <Address>東京都千代田区霞が関１－２－２　中央合同庁舎第５号館</Address>
        <PharmacistsInfoConsTime>20240401093014</PharmacistsInfoConsTime>
        <Sex1>1</Sex1>
        <Name>診療　太郎</Name>
        <InsuredCardClassification>01</InsuredCardClassification>
        <InsurerNumber>  123456</InsurerNumber>
        <InsuredCardSymbol>１２３</InsuredCardSymbol>
        <NameKana>ｼﾝﾘｮｳ ﾀﾛｳ</NameKana>
        <InsuredIdentificationNumber>4567</InsuredIdentificationNumber>
        <InsuredBranchNumber>01</InsuredBranchNumber>
        <PersonalFamilyClassification>1</PersonalFamilyClassification>
        <InsuredName>診療　太郎</InsuredName>
        <Birthdate>19600115</Birthdate>
        <PostNumber>100-8916</PostNumber>
        <InsuredCertificateIssuanceDate>20230401</InsuredCertificateIssuanceDate>
        <InsuredCardValidDate>20230401</InsuredCardValidDate>
        <InsuredCardExpirationDate>20250331</InsuredCardExpirationDate>
        <InsuredPartialContributionRatio>030</InsuredPartialContributionRatio>
        <InsurerName>千代田区国民健康保険</InsurerName>
        <ElderlyRecipientCertificateInfo>
          <ElderlyRecipientCertificateDate>20230401</ElderlyRecipientCertificateDate>
          <ElderlyRecipientValidStartDate>20230401</ElderlyRecipientValidStartDate>
          <ElderlyRecipientValidEndDate>20250731</ElderlyRecipientValidEndDate>
          <ElderlyRecipientContributionRatio>020</ElderlyRecipientContributionRatio>
        </ElderlyRecipientCertificateInfo>
        <LimitApplicationCertificateRelatedConsFlg>1</LimitApplicationCertificateRelatedConsFlg>
        <LimitApplicationCertificateRelatedConsTime>20240401093012</LimitApplicationCertificateRelatedConsTime>
        <PharmacistsInfoConsFlg>1</PharmacistsInfoConsFlg>
        <PharmacistsInfoAvailableTime>20240402093014</PharmacistsInfoAvailableTime>
        <ReferenceNumber>K-000123</ReferenceNumber>
      </ResultOfQualificationConfirmation>
    </ResultList>
    <PrescriptionIssueSelect>1</PrescriptionIssueSelect>
  </MessageBody>
</XmlMsg>
`;

/** A YZK 薬剤情報 request as a clinic writes it: card data in the header, a period, XML output. */
export const sampleMedicationRequest: MedicationInformationRequest = {
  MessageHeader: {
    MedicalInstitutionCode: '1311234567',
    InsurerNumber: '  123456',
    InsuranceCardSymbol: '１２３',
    InsuredPersonIdentificationNumber: '4567',
    BranchNumber: '01',
    Birthdate: '19600115',
    ArbitraryFileIdentifier: '202404010001',
  },
  MessageBody: {
    StartDate: '202301',
    EndDate: '202403',
    FileCategory: '2',
    PrDiInfClassification: '1',
    MedicalTreatmentFlag: '1',
  },
};

/** A YZK result: one month at a pharmacy with two drugs on one day. */
export const sampleMedicationResult: MedicationInformationResult = {
  MessageHeader: {
    ProcessExecutionTime: '20240401093500',
    MedicalInstitutionCode: '1311234567',
    ArbitraryFileIdentifier: '202404010001',
    SegmentOfResult: '1',
    CharacterCodeIdentifier: '0',
    QuaInf: { Name: '診療　太郎', KanaName: 'ｼﾝﾘｮｳ ﾀﾛｳ', Birth: '19600115', AdmGendCode: '1' },
  },
  MessageBody: {
    ResultCode: '1',
    StartDate: '202301',
    EndDate: '202403',
    MeTrMonthInf: [
      {
        DiOrg: '4',
        MeTrDiHCd: '1341234560',
        PrlsHCd: '1311234567',
        MeTrMonth: '202403',
        PrIsOrg: '1',
        DiDateInfs: {
          DiDateInf: [
            {
              DiDate: '20240305',
              PrDate: '20240304',
              DrugInfs: {
                DrugInf: [
                  {
                    DrugC: '699000001',
                    DrugN: 'アムロジピン錠５ｍｇ「オンシ」',
                    IngreN: 'アムロジピンベシル酸塩',
                    Qua1: '1',
                    Unit: '錠',
                    UsageN: '1日1回朝食後',
                    Times: '28',
                    MeTrIdCl: '1',
                  },
                  {
                    DrugC: '699000040',
                    DrugN: 'ロキソプロフェンＮａ錠６０ｍｇ「オンシ」',
                    Qua1: '1.5',
                    Unit: '錠',
                    Times: '5',
                    MeTrIdCl: '3',
                  },
                ],
              },
            },
          ],
        },
      },
    ],
  },
};

/** A TKK request in disaster mode: a person from a disaster search and the reason, PDF output. */
export const sampleCheckupRequest: CheckupInformationRequest = {
  MessageHeader: {
    MedicalInstitutionCode: '1311234567',
    DisasterPersonIdentifier: '123',
    ArbitraryFileIdentifier: '202404010002',
  },
  MessageBody: {
    FileCategory: '1',
    MedicalTreatmentFlag: '1',
    DisasterUseReason: '避難所から搬送、意識障害',
  },
};

/** A TKK result: one examination with a number, a coded urine result and a range. */
export const sampleCheckupResult: CheckupInformationResult = {
  MessageHeader: {
    ProcessExecutionTime: '20240401093600',
    MedicalInstitutionCode: '1311234567',
    SegmentOfResult: '1',
    CharacterCodeIdentifier: '0',
    QualificationsInfo: {
      Name: '診療　太郎',
      KanasName: 'ｼﾝﾘｮｳ ﾀﾛｳ',
      Birthday: '19600115',
      AdministrativeGenderCode: '1',
    },
  },
  MessageBody: {
    ResultCode: '1',
    SpecificHealthCheckupInfo: [
      {
        EffectiveTime: '20230612',
        HealthCheckupInstitutionCode: '1311234567',
        HealthCheckupResultAndQuestionInfos: {
          HealthCheckupResultAndQuestionInfo: [
            {
              ItemCode: '9A755000000000001',
              ItemName: '収縮期血圧',
              DataType: 'PQ',
              DataValue: '138',
              Unit: 'mmHg',
              Oid: '1.2.392.200119.6.1005',
              ReferenceRangeHigh: '129',
              InterpretationCode: 'H',
            },
            {
              ItemCode: '1A020000000190111',
              ItemName: '尿糖',
              DataType: 'CO',
              DataValue: '1',
              Oid: '1.2.392.200119.6.1005',
              DataValueName: '－',
            },
          ],
        },
      },
    ],
  },
};
