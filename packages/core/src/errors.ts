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

  // --- batch (一括照会・照会番号一括登録, central)
  BATCH_RECEPTION_NOT_FOUND: {
    status: 404,
    message:
      '受付番号 {receptionNumber} の一括処理は見つかりません（保存期間切れまたは別の医療機関の受付番号）。',
  },
  BATCH_TOO_MANY_ROWS: {
    status: 413,
    message: '1ファイルの件数が上限を超えています（{rows} 件、上限 {limit} 件）。',
  },
  BATCH_ROWS_IN_FLIGHT_EXCEEDED: {
    status: 429,
    message:
      '処理中の一括処理の件数が上限を超えます（処理中 {inFlight} 件 + {rows} 件、上限 {limit} 件）。完了後に再送してください。',
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

  // --- medical information feeds (claims, 特定健診)
  CLAIM_ENCODING_INVALID: {
    status: 400,
    message: '{line} 行目: レセプトファイルは Shift_JIS（CP932）で書かれている必要があります（{detail}）。',
  },
  CLAIM_RECORD_UNKNOWN: {
    status: 400,
    message: '{line} 行目: レコード識別情報 {record} は{kind}のレセプトファイルにはありません。',
  },
  CLAIM_FIELD_COUNT: {
    status: 400,
    message: '{line} 行目: {record} レコードの項目数は {expected} のところ {actual} です。',
  },
  CLAIM_ORDER_INVALID: { status: 400, message: '{line} 行目: レコードの順序が正しくありません: {detail}' },
  CLAIM_FIELD_INVALID: {
    status: 400,
    message: '{line} 行目: {record} レコードの {field} が正しくありません（{value}）: {detail}',
  },
  CLAIM_PERSON_UNKNOWN: {
    status: 400,
    message:
      '{line} 行目: 保険者番号 {insurerNumber}・記号番号 {card}・生年月日 {birthdate} の資格が {month} にありません。',
  },
  CLAIM_PERSON_AMBIGUOUS: {
    status: 400,
    message:
      '{line} 行目: 保険者番号 {insurerNumber}・記号番号 {card}・生年月日 {birthdate} に複数の人が該当します。',
  },
  CLAIM_DRUG_UNKNOWN: {
    status: 400,
    message: '{line} 行目: 医薬品コード {drugCode} は医薬品マスターにありません。',
  },
  CHECKUP_FIELD_MISSING: { status: 400, message: '{line} 行目: 特定健診XMLに {path} がありません。' },
  CHECKUP_FIELD_INVALID: {
    status: 400,
    message: '{line} 行目: 特定健診XMLの {path} が正しくありません（{value}）: {detail}',
  },
  CHECKUP_PERSON_UNKNOWN: {
    status: 400,
    message:
      '{line} 行目: 保険者番号 {insurerNumber}・記号番号 {card}・生年月日 {birthdate} の資格が受診日 {examDate} にありません。',
  },
  CHECKUP_PERSON_AMBIGUOUS: {
    status: 400,
    message:
      '{line} 行目: 保険者番号 {insurerNumber}・記号番号 {card}・生年月日 {birthdate} に複数の人が該当します。',
  },
  MEDICAL_FILE_CONFLICT: { status: 409, message: 'ファイルID {fileId} は別の内容で取り込み済みです。' },

  // --- authentication
  AUTH_INSTITUTION_MISMATCH: {
    status: 403,
    message: '電文の医療機関コード {given} がクライアント証明書の医療機関コード {certified} と一致しません。',
  },
  AUTH_FEED_DISABLED: { status: 403, message: '保険者フィードの受付は設定されていません。' },
  AUTH_FEED_TOKEN_INVALID: { status: 401, message: '保険者フィードの認証トークンが正しくありません。' },

  // --- HTTP and service
  HTTP_NOT_FOUND: { status: 404, message: '{path} は存在しません。' },
  HTTP_METHOD_NOT_ALLOWED: { status: 405, message: '{method} は使えません。' },
  HTTP_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Content-Type {type} には対応していません。' },
  HTTP_BODY_TOO_LARGE: { status: 413, message: 'リクエスト本文が大きすぎます（上限 {limit} バイト）。' },
  HTTP_RATE_LIMITED: {
    status: 429,
    message: 'リクエストが多すぎます。{seconds} 秒後にもう一度お試しください。',
  },
  SERVICE_INTERNAL: { status: 500, message: '内部エラーが発生しました（requestId {requestId}）。' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'サービスを利用できません。' },
  STORE_UNAVAILABLE: { status: 503, message: 'データベース（{store}）に接続できません。' },
  CONFIG_INVALID: { status: 500, message: '設定 {name} が正しくありません: {detail}' },
  RETENTION_RUN_BUSY: {
    status: 409,
    message: '保存期間を過ぎたデータの削除は別のプロセスが実行中です。終了後にもう一度実行してください。',
  },

  // --- PKI
  PKI_PASSPHRASE_FILE_INVALID: { status: 500, message: 'パスフレーズファイル {path} を使えません: {detail}' },
  PKI_KEY_PASSPHRASE_WRONG: {
    status: 500,
    message: '秘密鍵 {name} を開けません（パスフレーズが違うか、鍵が壊れています）。',
  },
  PKI_CA_DIRECTORY_EXISTS: { status: 409, message: '認証局ディレクトリ {dir} は既に使われています。' },
  PKI_CA_DIRECTORY_INVALID: { status: 500, message: '認証局ディレクトリ {dir} が正しくありません: {detail}' },
  PKI_CSR_INVALID: { status: 400, message: '証明書署名要求（CSR）が正しくありません: {detail}' },
  PKI_SERIAL_UNKNOWN: { status: 404, message: 'シリアル番号 {serial} の証明書は発行されていません。' },
  PKI_CERT_ALREADY_REVOKED: { status: 409, message: 'シリアル番号 {serial} の証明書は失効済みです。' },
  PKI_REVOCATION_REASON_INVALID: { status: 400, message: '失効理由 {reason} は使えません。' },
  PKI_PKCS12_PASSWORD_WRONG: {
    status: 400,
    message: 'PKCS#12 ファイルを開けません（ワンタイムパスワードが違います）。',
  },
  PKI_CERT_MISSING: { status: 401, message: 'クライアント証明書が提示されていません。' },
  PKI_CERT_MALFORMED: { status: 401, message: '証明書を読み取れません: {detail}' },
  PKI_CERT_EXPIRED: { status: 401, message: '証明書の有効期間が終了しています（{notAfter} まで）。' },
  PKI_CERT_NOT_YET_VALID: {
    status: 401,
    message: '証明書の有効期間がまだ始まっていません（{notBefore} から）。',
  },
  PKI_CERT_UNKNOWN_CA: { status: 401, message: '証明書の発行者 {issuer} は信頼されていません。' },
  PKI_CERT_REVOKED: { status: 401, message: '証明書（シリアル番号 {serial}）は失効しています。' },
  PKI_CERT_USAGE_INVALID: { status: 401, message: '証明書の用途が正しくありません: {detail}' },
  PKI_CERT_NO_INSTITUTION: { status: 401, message: '証明書に医療機関コードがありません。' },
  PKI_CRL_UNAVAILABLE: { status: 503, message: '失効リスト（CRL）{path} を使えません: {detail}' },
  PKI_CRL_STALE: { status: 503, message: '失効リスト（CRL）の次回更新日時 {nextUpdate} を過ぎています。' },
  PKI_OCSP_REQUEST_INVALID: { status: 400, message: 'OCSP要求が正しくありません: {detail}' },
  PKI_OCSP_RESPONSE_INVALID: { status: 502, message: 'OCSP応答が正しくありません: {detail}' },
  PKI_OCSP_CERT_ID_MISMATCH: { status: 502, message: 'OCSP応答が要求した証明書のものではありません。' },
  PKI_OCSP_NONCE_MISMATCH: { status: 502, message: 'OCSP応答のナンスが要求と一致しません。' },
  PKI_OCSP_RESPONSE_STALE: {
    status: 502,
    message: 'OCSP応答の有効期間外です（thisUpdate {thisUpdate}、nextUpdate {nextUpdate}）。',
  },
  PKI_OCSP_STATUS_UNKNOWN: {
    status: 401,
    message: 'OCSP応答者は証明書（シリアル番号 {serial}）を把握していません。',
  },
  PKI_CARD_SIGNATURE_INVALID: { status: 401, message: '利用者証明用電子証明書による署名を検証できません。' },

  // --- card
  CARD_APPLICATION_NOT_FOUND: {
    status: 422,
    message: 'カードに公的個人認証アプリケーション（JPKI-AP）がありません（SW {sw}）。',
  },
  CARD_COMMAND_FAILED: {
    status: 502,
    message: 'カードがコマンド {command} を実行できませんでした（SW {status}）。',
  },
  CARD_RESPONSE_INVALID: { status: 502, message: 'カードの応答が正しくありません: {detail}' },
  CARD_PIN_FORMAT_INVALID: { status: 400, message: '暗証番号は4桁の数字で入力してください。' },
  CARD_SECURITY_STATUS_NOT_SATISFIED: {
    status: 403,
    message: '暗証番号の照合または顔認証が済んでいないため、カードは署名しません。',
  },

  // --- card check
  CARD_CHALLENGE_UNKNOWN: { status: 401, message: 'このチャレンジは発行されていません。' },
  CARD_CHALLENGE_EXPIRED: {
    status: 401,
    message: 'チャレンジの有効期限（{expiresAt}）が過ぎています。もう一度カードを読み取ってください。',
  },
  CARD_CHALLENGE_USED: {
    status: 409,
    message: 'このチャレンジは使用済みです。もう一度カードを読み取ってください。',
  },
  CARD_CHALLENGE_OTHER_INSTITUTION: {
    status: 403,
    message: 'このチャレンジは別の医療機関に発行されたものです。',
  },
  CARD_SIGNATURE_OTHER_CHALLENGE: { status: 401, message: 'カードの署名は別のチャレンジに対するものです。' },
  CARD_LINK_NOT_FOUND: {
    status: 404,
    message: 'このカードの利用者証明用電子証明書に対応する資格情報が見つかりません。',
  },
  CARD_NOT_REGISTERED: {
    status: 403,
    message: 'このマイナンバーカードは健康保険証として利用登録されていません。',
  },
  CARD_REGISTRATION_PIN_REQUIRED: {
    status: 400,
    message: '健康保険証の利用登録には暗証番号による本人確認が必要です。',
  },
  CARD_PIN_WRONG: { status: 401, message: '暗証番号が違います。残り {triesLeft} 回' },
  CARD_PIN_BLOCKED: { status: 423, message: '暗証番号がロックされています' },

  // --- consent, disaster mode, audit (central)
  MEDINFO_CONSENT_NONE: {
    status: 403,
    message: 'この医療情報（{category}）の閲覧について患者の同意がありません。',
  },
  MEDINFO_CONSENT_EXPIRED: {
    status: 403,
    message:
      '閲覧同意（{category}）の有効期限（{expiresAt}）が過ぎています。もう一度カードで同意を得てください。',
  },
  MEDINFO_CONSENT_REVOKED: {
    status: 403,
    message: '閲覧同意（{category}）は {revokedAt} に取り消されています（OQSCD031 {reason}）。',
  },
  MEDINFO_CONSENT_OTHER_INSTITUTION: {
    status: 403,
    message: '閲覧同意（{category}）は別の医療機関に対するもので、この医療機関には同意がありません。',
  },
  MEDINFO_CONSENT_OTHER_CATEGORY: {
    status: 403,
    message: 'この医療機関への同意は別の種別のもので、{category} の閲覧には同意がありません。',
  },
  MEDINFO_TERMINAL_USER_REQUIRED: {
    status: 400,
    message: '医療情報の閲覧には端末利用者（x-onshi-terminal-user）の指定が必要です。',
  },
  MEDINFO_ROLE_REQUIRED: {
    status: 403,
    message: '医療情報の閲覧には医療情報閲覧者（viewer）の権限が必要です（指定された権限: {role}）。',
  },
  MEDINFO_PERSON_NOT_FOUND: { status: 404, message: '医療情報を照会する対象者が見つかりません。' },
  MEDINFO_PERSON_AMBIGUOUS: {
    status: 409,
    message: '照会の対象者が複数該当しました。枝番・生年月日を確認してください。',
  },
  MEDINFO_PERSON_NOT_SEARCHED: {
    status: 403,
    message: '対象者 {personId} は、この医療機関が宣言中の災害時検索で見つけた人ではありません。',
  },
  CONSENT_PERSON_NOT_FOUND: { status: 404, message: '同意を取り消す対象の資格が見つかりません。' },
  CONSENT_NOT_FOUND: { status: 404, message: '取り消すことのできる有効な同意がありません。' },
  DISASTER_NOT_DECLARED: { status: 403, message: '災害時モードは宣言されていません。' },
  DISASTER_OUTSIDE_AREA: {
    status: 403,
    message: 'この医療機関の所在地（{municipality}）は災害時モードの対象地域ではありません。',
  },
  DISASTER_PERIOD_OVER: {
    status: 403,
    message: '災害時モード（{name}）は {endedAt} に終了しています。',
  },
  DISASTER_REASON_REQUIRED: { status: 400, message: '災害時の検索・閲覧には利用理由の入力が必要です。' },
  DISASTER_LOCATION_UNKNOWN: {
    status: 403,
    message: '医療機関 {institutionCode} の所在地（市区町村）が登録されていません。',
  },
  DISASTER_DECLARATION_NOT_FOUND: { status: 404, message: '災害時モードの宣言 {id} はありません。' },
  MUNICIPALITY_CODE_INVALID: {
    status: 400,
    message: '市区町村コード {value} が正しくありません: {detail}',
  },
  AUDIT_RECORD_EDITED: {
    status: 500,
    message: '監査記録 {seq} が改ざんされています（内容とハッシュが一致しません）。',
  },
  AUDIT_RECORD_DELETED: { status: 500, message: '監査記録 {seq} が削除されています（連番の欠落）。' },
  AUDIT_RECORD_REORDERED: { status: 500, message: '監査記録 {seq} の順序が入れ替えられています。' },
  AUDIT_PERSON_INDEX_MISMATCH: {
    status: 500,
    message: '監査記録 {seq} の患者別索引が記録と一致しません（アクセス履歴の欠落または改ざん）。',
  },
  AUTH_OPERATOR_DISABLED: { status: 403, message: '運用者APIは設定されていません。' },
  AUTH_OPERATOR_TOKEN_INVALID: { status: 401, message: '運用者APIの認証トークンが正しくありません。' },
  AUTH_TERMINAL_USER_INVALID: {
    status: 400,
    message: '端末利用者（x-onshi-terminal-user）は128文字以内の表示可能な文字である必要があります。',
  },

  // --- connector
  CONNECTOR_FILE_NAME_UNKNOWN: {
    status: 400,
    message: 'ファイル名 {name} は要求ファイルの形式（例: OQSsiquc01req_xxxx.xml）ではありません。',
  },
  CONNECTOR_INTERFACE_NOT_AVAILABLE: { status: 501, message: '{interface} の要求にはまだ対応していません。' },
  CONNECTOR_CENTRAL_UNREACHABLE: {
    status: 504,
    message: 'オンライン資格確認等システムに接続できませんでした（{attempts} 回試行、期限 {deadline}）。',
  },
  CONNECTOR_CENTRAL_ANSWER_INVALID: {
    status: 502,
    message: 'オンライン資格確認等システムの応答を読めませんでした（HTTP {status}）: {detail}',
  },
  CONNECTOR_REQUEST_TOO_LARGE: {
    status: 413,
    message: '要求ファイルが大きすぎます（{size} バイト、上限 {limit} バイト）。',
  },
  CONNECTOR_MEDINFO_USER_NOT_SET: {
    status: 403,
    message: '{interface} の要求にはフォルダ連携で閲覧する医療情報閲覧者の設定（--medinfo-user）が必要です。',
  },
  CONNECTOR_MEDINFO_USER_INVALID: {
    status: 403,
    message: 'フォルダ連携の医療情報閲覧者 {login} は使えません: {reason}',
  },

  // --- card reader (顔認証付きカードリーダー)
  READER_TERMINAL_UNREACHABLE: {
    status: 504,
    message: '資格確認端末（{url}）に接続できませんでした: {detail}',
  },
  READER_TERMINAL_ERROR: {
    status: 502,
    message: '資格確認端末の応答を処理できません（HTTP {status}）: {detail}',
  },
  READER_SESSION_UNKNOWN: {
    status: 404,
    message: '受付 {sessionId} はありません。もう一度カードを置いてください。',
  },
  READER_SESSION_TIMEOUT: {
    status: 408,
    message: '操作がなかったため受付を終了しました。もう一度カードを置いてください。',
  },
  READER_CARD_UNKNOWN: { status: 404, message: 'カード {card} はカードリーダーにありません。' },
  READER_STEP_INVALID: { status: 409, message: '今の画面（{state}）では {action} はできません。' },

  // --- terminal (reader channel, staff UI)
  READER_TOKEN_INVALID: { status: 401, message: 'カードリーダーの認証トークンが正しくありません。' },
  TERMINAL_CENTRAL_UNREACHABLE: {
    status: 503,
    message: 'オンライン資格確認等システムに接続できません。しばらくしてからもう一度お試しください。',
  },
  TERMINAL_LOGIN_FAILED: { status: 401, message: 'ログインIDまたはパスワードが正しくありません。' },
  TERMINAL_LOGIN_LOCKED: {
    status: 429,
    message: 'ログインに続けて失敗したため、{seconds} 秒後までログインできません。',
  },
  TERMINAL_SESSION_REQUIRED: { status: 401, message: 'ログインしてください。' },
  TERMINAL_CSRF_INVALID: {
    status: 403,
    message: '画面を読み込み直してから操作してください（CSRFトークンが正しくありません）。',
  },
  TERMINAL_ROLE_FORBIDDEN: { status: 403, message: 'この操作には {required} の権限が必要です。' },
  TERMINAL_USER_EXISTS: { status: 409, message: 'ログインID {login} は既に使われています。' },
  TERMINAL_USER_UNKNOWN: { status: 404, message: 'ログインID {login} の利用者はいません。' },
  TERMINAL_PASSWORD_WEAK: { status: 400, message: 'パスワードは {min} 文字以上にしてください。' },
  TERMINAL_RECORD_UNKNOWN: { status: 404, message: '受付記録 {id} はありません。' },
  TERMINAL_CSV_ENCODING: {
    status: 400,
    message: 'CSVファイルの文字コードを判別できません（UTF-8 または Shift_JIS で保存してください）。',
  },
  TERMINAL_CSV_HEADER_INVALID: { status: 400, message: 'CSVファイルの見出し行が正しくありません: {detail}' },
  TERMINAL_CSV_MALFORMED: { status: 400, message: 'CSVファイルの {row} 行目を読めません: {detail}' },
  TERMINAL_BATCH_ROWS_INVALID: {
    status: 400,
    message: 'CSVファイルの {count} 行に誤りがあります。直して送るか、正しい行だけを送ってください。',
  },
  TERMINAL_BATCH_EMPTY: { status: 400, message: '送信する行がありません。' },
  TERMINAL_BATCH_TOO_MANY_ROWS: {
    status: 413,
    message: '一度に送れるのは {limit} 行までです（{rows} 行あります）。',
  },
  TERMINAL_BATCH_UNKNOWN: { status: 404, message: '一括照会 {id} はありません。' },
  TERMINAL_BATCH_NOT_DONE: { status: 409, message: '一括照会 {id} はまだ処理中です。' },
  TERMINAL_BATCH_FAILED: { status: 502, message: '一括照会を送信できませんでした: {detail}' },

  // --- portal (医療機関等向けポータルサイト) and operator console
  PORTAL_EMAIL_INVALID: { status: 400, message: 'メールアドレス {value} が正しくありません。' },
  PORTAL_EMAIL_TAKEN: {
    status: 409,
    message:
      'メールアドレス {email} は既に登録されています。ログインするか、パスワードを再設定してください。',
  },
  PORTAL_PASSWORD_WEAK: { status: 400, message: 'パスワードは {min} 文字以上にしてください。' },
  PORTAL_TOKEN_INVALID: { status: 400, message: 'このリンクは無効です（使用済みか、存在しません）。' },
  PORTAL_TOKEN_EXPIRED: {
    status: 400,
    message: 'このリンクの有効期限（{expiresAt}）が過ぎています。もう一度手続きしてください。',
  },
  PORTAL_LOGIN_FAILED: {
    status: 401,
    message: 'メールアドレス（ログインID）またはパスワードが正しくありません。',
  },
  PORTAL_LOGIN_LOCKED: {
    status: 429,
    message: 'ログインに続けて失敗したため、{seconds} 秒後までログインできません。',
  },
  PORTAL_EMAIL_NOT_VERIFIED: {
    status: 403,
    message: 'メールアドレスの確認が済んでいません。届いたメールのリンクを開いてください。',
  },
  PORTAL_SESSION_REQUIRED: { status: 401, message: 'ログインしてください。' },
  PORTAL_CSRF_INVALID: {
    status: 403,
    message: '画面を読み込み直してから操作してください（CSRFトークンが正しくありません）。',
  },
  PORTAL_MAIL_FAILED: { status: 502, message: 'メールを送信できませんでした: {detail}' },
  PORTAL_PROFILE_REQUIRED: {
    status: 409,
    message: '先に医療機関情報（医療機関コード・種別・所在地）を登録してください。',
  },
  PORTAL_INSTITUTION_TAKEN: {
    status: 409,
    message: '医療機関コード {code} は別のアカウントで登録されています。',
  },
  PORTAL_KIND_MISMATCH: {
    status: 400,
    message: '種別 {kind} は医療機関コードの点数表番号 {table}（{tableName}）と合いません。',
  },
  PORTAL_PREFECTURE_MISMATCH: {
    status: 400,
    message:
      '市区町村コード {municipality} の都道府県 {given} が医療機関コードの都道府県 {prefecture} と合いません。',
  },
  PORTAL_READER_QUOTA_EXCEEDED: {
    status: 400,
    message:
      '無償提供の顔認証付きカードリーダーは {quota} 台までです（申込済み {applied} 台）。それを超える台数は販売店等から購入してください。',
  },
  PORTAL_DATES_OUT_OF_ORDER: {
    status: 400,
    message: '{later}（{laterDate}）は{earlier}（{earlierDate}）より後の日付にしてください。',
  },
  PORTAL_DATE_PAST: { status: 400, message: '{field}（{value}）は今日（{today}）以降の日付にしてください。' },
  PORTAL_CUSTOMER_ID_REQUIRED: {
    status: 400,
    message: 'IP-VPN 接続では NTT のお客様ID（「開通のご案内」に記載）が必要です。',
  },
  PORTAL_APPLICATION_NOT_FOUND: { status: 404, message: '申請 {id} はありません。' },
  PORTAL_APPLICATION_DECIDED: { status: 409, message: '申請 {id} は既に処理済みです（{status}）。' },
  PORTAL_REASON_REQUIRED: { status: 400, message: '却下・失効の理由を入力してください。' },
  PORTAL_UPLOAD_TOO_LARGE: {
    status: 413,
    message: 'ファイル {name} は大きすぎます（上限 {limit} バイト）。',
  },
  PORTAL_UPLOAD_TYPE_INVALID: {
    status: 415,
    message: 'ファイル {name} は PDF・JPEG・PNG のいずれでもありません（内容で判定）。',
  },
  PORTAL_DOCUMENT_MISSING: { status: 400, message: '書類「{document}」を添付してください。' },
  PORTAL_READER_REQUIRED: {
    status: 409,
    message: '顔認証付きカードリーダーの申込がないため、補助金の交付対象外です。',
  },
  PORTAL_CERTIFICATE_NOT_FOUND: { status: 404, message: '証明書 {serial} はありません。' },
  PORTAL_CERTIFICATE_NOT_RENEWABLE: { status: 409, message: '証明書 {serial} は更新できません: {detail}' },
  PORTAL_PASSWORD_ALREADY_SHOWN: {
    status: 410,
    message:
      'ワンタイムパスワードは表示済みです（一度だけ表示されます）。分からなくなった場合は証明書を更新してください。',
  },
  PORTAL_USAGE_NOT_APPROVED: {
    status: 409,
    message: '電子証明書の発行申請の前に、オンライン資格確認の利用申請が承認されている必要があります。',
  },
  PORTAL_SUBSIDY_INELIGIBLE: { status: 409, message: '補助金の交付対象になりません: {reason}' },
  PORTAL_PROGRAMME_UNKNOWN: { status: 404, message: '補助金 {id} はありません。' },
  PORTAL_OPERATOR_ROLE_FORBIDDEN: {
    status: 403,
    message: '役割「{role}」の職員はこの操作（{action}）を行えません。承認者の役割が必要です。',
  },
  PORTAL_OPERATOR_ROLE_INVALID: {
    status: 400,
    message: '職員 {login} の役割 {role} は正しくありません（approver または auditor）。',
  },

  // --- subsidy (オンライン資格確認関係補助金)
  SUBSIDY_PROGRAMME_INVALID: { status: 400, message: '補助金の定義が正しくありません（{path}）: {detail}' },
  SUBSIDY_KIND_UNKNOWN: { status: 400, message: '種別 {kind} はこの補助金にありません（{kinds}）。' },
  SUBSIDY_INPUT_INVALID: { status: 400, message: '補助額の試算の {field} が正しくありません: {detail}' },
  SUBSIDY_DATES_OUT_OF_ORDER: {
    status: 400,
    message: '{later}（{laterDate}）が{earlier}（{earlierDate}）より前になっています。',
  },
  SUBSIDY_KIND_MISMATCH: {
    status: 400,
    message: '月の処方箋受付回数 {count} は種別 {kind} の条件（{condition}）に合いません。',
  },
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
