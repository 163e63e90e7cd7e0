/**
 * Identifiers and commands of the JPKI application (公的個人認証AP) on the My Number card, as far
 * as they are public. J-LIS does not publish the card's interface; these values are the ones used
 * by open-source readers that work against real cards:
 *
 * - AP AID `D3 92 F0 00 26 01 00 00 00 01`: OpenSC `src/libopensc/jpki.h` (`AID_JPKI`),
 *   treastrain/TRETJapanNFCReader (`NFCKitISO7816ApplicationIdentifiers+Extension.swift`).
 * - EF `00 0A` user-authentication certificate (利用者証明用電子証明書): OpenSC
 *   `src/libopensc/pkcs15-jpki.c` (`jpki_cert_paths`, "User Authentication Certificate").
 * - EF `00 0B` the CA certificate of the user-authentication certificate (the card-issuing CA):
 *   the same `jpki_cert_paths` ("User Authentication Certificate CA").
 * - EF `00 17` user-authentication private key and EF `00 18` its PIN: OpenSC `jpki.h`
 *   (`JPKI_AUTH_KEY`, `JPKI_AUTH_PIN`).
 * - SELECT with P2 `0C` (no FCI); VERIFY `00 20 00 80` against the selected PIN EF, without data
 *   to learn the tries left (63Cx); COMPUTE DIGITAL SIGNATURE `80 2A 00 80 Lc DigestInfo 00` with
 *   the selected key EF: OpenSC `src/libopensc/card-jpki.c` (`jpki_select_file`, `jpki_pin_cmd`,
 *   `jpki_compute_signature`); TRETJapanNFCReader selects with the same P1/P2.
 * - 3 tries for the user-authentication PIN (then blocked until the municipality resets it):
 *   OpenSC `JPKI_AUTH_PIN_MAX_TRIES`; 4 digits: OpenSC `jpki_pin_min`/`jpki_pin_max` and
 *   https://tex2e.github.io/blog/protocol/jpki-mynumbercard-with-apdu.
 *
 * Only the user-authentication half (利用者証明用) is implemented; the signature half
 * (署名用, EF 0001/0002/001A/001B) answers `6A82` (file not found).
 */

/** DF name of the JPKI AP. */
export const JPKI_AP_AID: Uint8Array = Uint8Array.of(
  0xd3,
  0x92,
  0xf0,
  0x00,
  0x26,
  0x01,
  0x00,
  0x00,
  0x00,
  0x01,
);

/** File identifiers inside the JPKI AP (user-authentication half). */
export const JPKI_EF = {
  /** 利用者証明用電子証明書 (DER). */
  USER_AUTH_CERTIFICATE: 0x000a,
  /** The issuing CA's certificate for it (DER). */
  USER_AUTH_CA_CERTIFICATE: 0x000b,
  /** 利用者証明用秘密鍵. */
  USER_AUTH_PRIVATE_KEY: 0x0017,
  /** 利用者証明用暗証番号 (4 digits). */
  USER_AUTH_PIN: 0x0018,
} as const;

export const INS = {
  SELECT: 0xa4,
  READ_BINARY: 0xb0,
  VERIFY: 0x20,
  COMPUTE_DIGITAL_SIGNATURE: 0x2a,
} as const;

/** Inter-industry class for SELECT, READ BINARY, VERIFY. */
export const CLA_ISO = 0x00;
/** Proprietary class the JPKI AP uses for COMPUTE DIGITAL SIGNATURE. */
export const CLA_PROPRIETARY = 0x80;

/** SELECT P1: by DF name (AID) / EF under the current DF. P2 `0C`: no response data. */
export const SELECT_BY_DF_NAME = 0x04;
export const SELECT_EF_UNDER_DF = 0x02;
export const SELECT_NO_RESPONSE_DATA = 0x0c;

/** VERIFY and COMPUTE DIGITAL SIGNATURE P2 `80`: the reference data is the selected EF. */
export const P2_SELECTED_EF = 0x80;

/** Tries the user-authentication PIN has after a right PIN (and on a new card). */
export const USER_AUTH_PIN_MAX_TRIES = 3;

/** Length of the user-authentication PIN, ASCII digits. */
export const USER_AUTH_PIN_LENGTH = 4;

/** Two bytes of a file identifier, big-endian. */
export function fileIdBytes(fileId: number): Uint8Array {
  return Uint8Array.of((fileId >> 8) & 0xff, fileId & 0xff);
}
