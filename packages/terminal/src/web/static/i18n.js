// Japanese first, English on request; the choice is kept per browser (localStorage).

const KEY = 'onshi-terminal-lang';

const dictionary = {
  'app.title': ['資格確認端末', 'Eligibility terminal'],
  'app.logout': ['ログアウト', 'Log out'],
  'app.toggle': ['English', '日本語'],
  'app.loading': ['読み込み中…', 'Loading…'],
  'app.error': ['エラー', 'Error'],
  'app.unreachable': ['端末に接続できません。', 'Cannot reach the terminal.'],
  'nav.check': ['資格確認', 'Eligibility check'],
  'nav.feed': ['受付（顔認証）', 'Reception (card reader)'],
  'nav.refnum': ['照会番号登録', 'Reference number'],
  'nav.settings': ['環境設定', 'Settings'],
  'nav.users': ['利用者管理', 'Users'],
  'nav.certs': ['証明書', 'Certificate'],
  'login.title': ['ログイン', 'Log in'],
  'login.user': ['ログインID', 'Login ID'],
  'login.password': ['パスワード', 'Password'],
  'login.submit': ['ログイン', 'Log in'],
  'role.admin': ['管理者', 'Administrator'],
  'role.clerk': ['一般利用者', 'Clerk'],
  'role.viewer': ['医療情報閲覧者', 'Medical information viewer'],
  'check.title': ['資格確認（保険証情報）', 'Eligibility check (insurance card data)'],
  'check.insurer': ['保険者番号', 'Insurer number'],
  'check.symbol': ['記号', 'Symbol'],
  'check.number': ['番号', 'Number'],
  'check.branch': ['枝番', 'Branch'],
  'check.birthdate': ['生年月日', 'Date of birth'],
  'check.limitConsent': ['限度額適用認定証の情報提供に同意あり', 'Consent to provide the limit certificate'],
  'check.submit': ['照会する', 'Check'],
  'check.sending': ['照会中…', 'Checking…'],
  'field.required': ['入力してください', 'Required'],
  'field.insurerFormat': [
    '8桁（市町村国保は6桁）の数字で入力してください',
    'Enter 8 digits (6 for municipal NHI)',
  ],
  'field.insurerPrefecture': ['都道府県番号が範囲外です', 'Prefecture code out of range'],
  'field.insurerCheckDigit': ['検証番号が一致しません', 'Check digit does not match'],
  'field.branch': ['2桁の数字で入力してください', 'Enter 2 digits'],
  'field.birthdate': ['正しい日付を入力してください', 'Enter a valid date'],
  'field.reference': ['50文字以内で入力してください', 'Up to 50 characters'],
  'result.title': ['照会結果', 'Result'],
  'result.next': ['次にすること', 'Next'],
  'result.name': ['氏名', 'Name'],
  'result.kana': ['カナ氏名', 'Name (kana)'],
  'result.birthdate': ['生年月日', 'Date of birth'],
  'result.sex': ['性別', 'Sex'],
  'result.insurer': ['保険者', 'Insurer'],
  'result.card': ['記号・番号・枝番', 'Symbol / number / branch'],
  'result.personalFamily': ['本人・家族', 'Insured / dependant'],
  'result.copay': ['負担割合', 'Copayment'],
  'result.elderly': ['高齢受給者証', 'Elderly recipient certificate'],
  'result.limit': ['限度額適用認定証', 'Limit certificate'],
  'result.specific': ['特定疾病療養受療証', 'Specific disease certificate'],
  'result.validity': ['資格・有効期間', 'Qualification / validity'],
  'result.disqualified': ['資格喪失', 'Disqualified'],
  'result.referenceNumber': ['照会番号', 'Reference number'],
  'result.none': ['なし', 'None'],
  'result.code': ['コード', 'Code'],
  'feed.title': ['受付（顔認証付きカードリーダー）', 'Reception (face-recognition card reader)'],
  'feed.live': ['新しい受付は自動で表示されます', 'New sessions appear automatically'],
  'feed.empty': ['まだ受付はありません', 'No sessions yet'],
  'feed.face': ['結果ファイルを表示', 'Show result file'],
  'feed.faceTitle': ['結果ファイル（face）', 'Result file (face)'],
  'feed.faceGone': [
    '結果ファイルは既に取り込まれています（face フォルダにありません）',
    'The result file has been taken from the face folder',
  ],
  'feed.close': ['閉じる', 'Close'],
  'feed.prescription': ['処方箋', 'Prescription'],
  'feed.triesLeft': ['残り回数', 'Tries left'],
  'kind.confirmation': ['資格確認', 'Confirmation'],
  'kind.registration': ['利用登録', 'Registration'],
  'kind.event': ['カードリーダー', 'Card reader'],
  'auth.pin': ['暗証番号', 'PIN'],
  'auth.face': ['顔認証', 'Face'],
  'auth.visual': ['目視確認', 'Visual check'],
  'outcome.registered': ['利用登録済み', 'Registered'],
  'outcome.pin-wrong': ['暗証番号誤り', 'Wrong PIN'],
  'outcome.pin-blocked': ['暗証番号ロック', 'PIN blocked'],
  'outcome.face-no-match': ['顔認証不一致', 'Face did not match'],
  'outcome.cancelled': ['中止', 'Cancelled'],
  'outcome.error': ['エラー', 'Error'],
  'consent.PharmacistsInfoConsFlg': ['薬剤情報', 'Medication'],
  'consent.SpecificHealthCheckupsInfoConsFlg': ['特定健診情報', 'Health check-ups'],
  'consent.DiagnosisInfoConsFlg': ['診療情報', 'Diagnoses'],
  'consent.OperationInfoConsFlg': ['手術情報', 'Operations'],
  'consent.0': ['同意なし', 'No consent'],
  'consent.1': ['同意あり', 'Consented'],
  'consent.2': ['同意期限切れ', 'Consent expired'],
  'consent.3': ['同意取得困難', 'Consent not obtainable'],
  'consent.none': ['—', '—'],
  'prescription.1': ['電子処方箋', 'Electronic'],
  'prescription.2': ['紙の処方箋', 'Paper'],
  'refnum.title': ['照会番号登録', 'Reference number registration'],
  'refnum.reference': ['照会番号（診察券番号など）', 'Reference number (patient ID)'],
  'refnum.submit': ['登録する', 'Register'],
  'refnum.done': ['照会番号を登録しました', 'Reference number registered'],
  'refnum.failed': ['登録できませんでした', 'Not registered'],
  'settings.title': ['環境設定', 'Settings'],
  'settings.consents': ['カードリーダーに表示する同意画面', 'Consent screens on the card reader'],
  'settings.limit': ['限度額適用認定証の同意画面を表示する', 'Show the limit-certificate consent screen'],
  'settings.prescription': [
    '処方箋発行形態（電子・紙）を選んでもらう',
    'Ask for the prescription form (electronic / paper)',
  ],
  'settings.encoding': ['結果ファイル（face）の文字コード', 'Encoding of result (face) files'],
  'settings.save': ['保存する', 'Save'],
  'settings.saved': [
    '保存しました（カードリーダーは次の受付から反映）',
    'Saved (the reader uses it from the next session)',
  ],
  'settings.readonly': ['変更できるのは管理者だけです', 'Only administrators can change settings'],
  'users.title': ['利用者管理', 'Users'],
  'users.login': ['ログインID', 'Login ID'],
  'users.name': ['表示名', 'Display name'],
  'users.role': ['権限', 'Role'],
  'users.password': ['パスワード（8文字以上）', 'Password (8+ characters)'],
  'users.add': ['追加する', 'Add'],
  'users.added': ['追加しました', 'Added'],
  'users.disabled': ['無効', 'Disabled'],
  'users.enabled': ['有効', 'Enabled'],
  'users.disable': ['無効にする', 'Disable'],
  'users.enable': ['有効にする', 'Enable'],
  'users.newPassword': ['新しいパスワード', 'New password'],
  'users.reset': ['パスワード再設定', 'Reset password'],
  'users.resetDone': ['パスワードを再設定しました', 'Password reset'],
  'certs.title': ['クライアント証明書', 'Client certificate'],
  'certs.subject': ['サブジェクト', 'Subject'],
  'certs.issuer': ['発行者', 'Issuer'],
  'certs.serial': ['シリアル番号', 'Serial number'],
  'certs.institution': ['医療機関コード', 'Institution code'],
  'certs.notBefore': ['有効期間の開始', 'Valid from'],
  'certs.notAfter': ['有効期間の終了', 'Valid until'],
  'certs.daysLeft': ['残り日数', 'Days left'],
  'certs.none': ['証明書を読めません', 'No certificate'],
  'certs.ok': ['有効期限まで十分な日数があります', 'Plenty of time before expiry'],
  'certs.banner': [
    'クライアント証明書の有効期限まで残り {days} 日です（{date}）。更新してください。',
    'The client certificate expires in {days} days ({date}). Renew it.',
  ],
  'certs.expired': [
    'クライアント証明書の有効期限が切れています（{date}）。オンライン資格確認を利用できません。',
    'The client certificate expired on {date}. Online checks will fail.',
  ],
};

export function lang() {
  const stored = globalThis.localStorage?.getItem(KEY);
  return stored === 'en' ? 'en' : 'ja';
}

export function setLang(value) {
  globalThis.localStorage?.setItem(KEY, value === 'en' ? 'en' : 'ja');
  document.documentElement.lang = lang();
}

/** The text of a key in the current language; `{name}` filled from params. */
export function t(key, params = {}) {
  const entry = dictionary[key];
  const text = entry ? entry[lang() === 'en' ? 1 : 0] : key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** A `{ ja, en }` pair from the server in the current language. */
export function pick(text) {
  if (!text) return '';
  return lang() === 'en' ? (text.en ?? text.ja) : text.ja;
}

/** Fills every `[data-i18n]` element under root. */
export function translate(root = document) {
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
}
