/**
 * Realistic sample messages for tests, benchmarks and demos (fictitious people and numbers).
 * Not exported from the package index.
 */
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
