/**
 * The one error catalogue. Codes are `AREA_SUBJECT_PROBLEM`, never renamed or reused; the HTTP
 * status and a Japanese message template (`{name}` placeholders) belong to each code.
 * `docs/errors.md` is kept in step by a test (errors.test.ts).
 */

export interface ErrorDefinition {
  readonly status: number;
  /** Japanese message; `{param}` placeholders are filled from the error's params. */
  readonly message: string;
}

export const errorCatalogue = {
  // --- XML and encodings
  XML_INPUT_TOO_LARGE: { status: 413, message: '入力が大きすぎます（上限 {limit} バイト）。' },
  XML_DOCTYPE_FORBIDDEN: { status: 400, message: 'DOCTYPE・実体宣言を含むXMLは受け付けません。' },
  XML_MALFORMED: { status: 400, message: 'XMLの形式が正しくありません（{detail}、位置 {offset}）。' },
  XML_ENCODING_UNSUPPORTED: {
    status: 400,
    message: '文字コード {encoding} には対応していません（UTF-8 または Shift_JIS）。',
  },
  XML_ENCODING_INVALID_BYTES: { status: 400, message: '{encoding} として読めないバイト列があります。' },
  XML_ROOT_UNEXPECTED: {
    status: 400,
    message: 'ルート要素は {expected} である必要があります（実際: {actual}）。',
  },
  XML_CHARACTER_UNENCODABLE: { status: 500, message: '{encoding} で表せない文字があります: {char}' },

  // --- message content
  MSG_FIELD_REQUIRED: { status: 400, message: '必須項目 {field} がありません。' },
  MSG_FIELD_INVALID: { status: 400, message: '項目 {field} の値が正しくありません: {detail}' },
  MSG_ELEMENT_REPEATED: { status: 400, message: '要素 {field} は1回だけ指定できます。' },
  MSG_JSON_MALFORMED: { status: 400, message: 'JSONの形式が正しくありません。' },

  // --- domain validation
  INSURER_NUMBER_INVALID: { status: 400, message: '保険者番号 {value} が正しくありません: {detail}' },
  INSTITUTION_CODE_INVALID: { status: 400, message: '医療機関コード {value} が正しくありません: {detail}' },
  CUSTOMER_ID_INVALID: { status: 400, message: 'お客様ID {value} が正しくありません: {detail}' },
  DATE_INVALID: { status: 400, message: '日付 {value} が正しくありません。' },
  CODE_UNKNOWN: { status: 400, message: '{table} に存在しないコードです: {value}' },

  // --- eligibility and reference numbers
  ELIGIBILITY_NOT_FOUND: { status: 200, message: '該当する資格がありません。' },
  ELIGIBILITY_MULTIPLE: { status: 200, message: '複数の資格が該当しました。枝番を指定してください。' },
  REFERENCE_NUMBER_TARGET_NOT_FOUND: { status: 404, message: '照会番号を登録する資格が見つかりません。' },
  REFERENCE_NUMBER_TARGET_AMBIGUOUS: {
    status: 409,
    message: '照会番号を登録する対象が複数あります。枝番・生年月日を指定してください。',
  },

  // --- insurer feed
  FEED_FORMAT_UNKNOWN: { status: 400, message: 'フィードの形式 {format} には対応していません。' },
  FEED_HEADER_INVALID: { status: 400, message: 'フィードのヘッダーが正しくありません: {detail}' },
  FEED_ROW_INVALID: { status: 400, message: '{line} 行目: {detail}' },
  FEED_FILE_CONFLICT: {
    status: 409,
    message: 'ファイルID {fileId} は別の内容で取り込み済みです。',
  },
  FEED_INSURER_UNKNOWN: { status: 400, message: '保険者番号 {value} は登録されていません。' },
  FEED_QUALIFICATION_UNKNOWN: { status: 400, message: '被保険者証 {card} の資格が登録されていません。' },
  FEED_ENCODING_INVALID: { status: 400, message: 'フィードは UTF-8 で書かれている必要があります。' },

  // --- HTTP and service
  HTTP_NOT_FOUND: { status: 404, message: '{path} は存在しません。' },
  HTTP_METHOD_NOT_ALLOWED: { status: 405, message: '{method} は使えません。' },
  HTTP_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Content-Type {type} には対応していません。' },
  HTTP_BODY_TOO_LARGE: { status: 413, message: 'リクエスト本文が大きすぎます（上限 {limit} バイト）。' },
  SERVICE_INTERNAL: { status: 500, message: '内部エラーが発生しました（requestId {requestId}）。' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'サービスを利用できません。' },
  CONFIG_INVALID: { status: 500, message: '設定 {name} が正しくありません: {detail}' },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof errorCatalogue;

export type ErrorParams = Readonly<Record<string, string | number>>;

/** The error every layer throws. Its `code` is from the catalogue; `message` is rendered. */
export class OnshiError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;
  readonly status: number;

  constructor(code: ErrorCode, params: ErrorParams = {}, options?: { cause?: unknown }) {
    super(renderMessage(code, params), options);
    this.name = 'OnshiError';
    this.code = code;
    this.params = params;
    this.status = errorCatalogue[code].status;
  }
}

export function renderMessage(code: ErrorCode, params: ErrorParams): string {
  return errorCatalogue[code].message.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function isOnshiError(value: unknown): value is OnshiError {
  return value instanceof OnshiError;
}

/** The wire shape of an error: `{ code, message, requestId }`. */
export interface ErrorBody {
  readonly code: ErrorCode;
  readonly message: string;
  readonly requestId: string;
}
