/** The 顔認証付きカードリーダー simulator: card sessions over APDUs, the reader channel, the patient's screen. */
export {
  type AuthMethod,
  type CardProofBody,
  type CardSession,
  cardProof,
  type PlacedCard,
  placeCard,
  type ReaderAuthentication,
  type ReaderCard,
  startCardSession,
} from './card-session.ts';
