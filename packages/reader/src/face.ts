/**
 * Face matching at the reader: the camera's capture against the card (a real reader compares it
 * with the face photo read from the chip). The simulator has no camera: the patient's screen
 * chooses the outcome (顔認証 一致 / 不一致 buttons, labelled as a simulation).
 */
import { OnshiError } from '@onshi/core';

/** What the camera took. `simulatedOutcome` is the simulator's stand-in for a picture. */
export interface FaceCapture {
  readonly takenAt: Date;
  /** The picture (e.g. JPEG), for a matcher that compares images. */
  readonly image?: Uint8Array | undefined;
  /** The outcome the screen chose (simulation only). */
  readonly simulatedOutcome?: 'match' | 'no-match' | undefined;
}

export interface FaceMatch {
  readonly matched: boolean;
  /** Similarity, 0…1. */
  readonly score: number;
}

export interface FaceMatcher {
  match(card: { readonly certificate: Uint8Array }, capture: FaceCapture): Promise<FaceMatch>;
}

/** Scores the simulator reports for its two outcomes. */
export const SIMULATED_MATCH_SCORE = 0.96;
export const SIMULATED_NO_MATCH_SCORE = 0.12;

/** The simulator's matcher: the outcome chosen on the screen. A capture without one is refused. */
export class SimulatedFaceMatcher implements FaceMatcher {
  async match(_card: { readonly certificate: Uint8Array }, capture: FaceCapture): Promise<FaceMatch> {
    if (capture.simulatedOutcome === 'match') return { matched: true, score: SIMULATED_MATCH_SCORE };
    if (capture.simulatedOutcome === 'no-match') return { matched: false, score: SIMULATED_NO_MATCH_SCORE };
    throw new OnshiError('MSG_FIELD_REQUIRED', { field: 'outcome' });
  }
}
