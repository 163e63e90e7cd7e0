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
export {
  type CardFileRef,
  type CardListEntry,
  findCardFile,
  listCardFiles,
  listCards,
} from './cards.ts';
export {
  type ConfirmationAnswer,
  type ConfirmationBody,
  createReaderChannelClient,
  type ReaderChallenge,
  type ReaderChannel,
  type ReaderChannelOptions,
  type ReaderEvent,
  type ReaderEventKind,
  type ReaderSettings,
  type RegistrationAnswer,
  readerChannelPaths,
} from './channel.ts';
export { type FaceCapture, type FaceMatch, type FaceMatcher, SimulatedFaceMatcher } from './face.ts';
export { type ReaderServerOptions, type RunningReader, startReader } from './server.ts';
export {
  type ConsentScreen,
  consentTexts,
  FACE_ATTEMPTS,
  openReaderSession,
  type PrescriptionSelect,
  prescriptionOptions,
  ReaderSession,
  type ReaderSessionOptions,
  type ReaderState,
  type ReaderView,
  SESSION_TIMEOUT_MS,
} from './session.ts';
