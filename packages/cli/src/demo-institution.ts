import { institutionCodeCheckDigit } from '@onshi/core';

/** A synthetic 医療機関コード for demos: 東京都(13) 医科(1) 郡市区 01 番号 2345 + its check digit. */
const body = '131012345';
export const demoInstitutionCode = `${body}${institutionCodeCheckDigit(body)}`;
