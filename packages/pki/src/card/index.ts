/** The virtual My Number card, the `Card` interface and the host-side JPKI helpers. */
export * from './apdu.ts';
export type { Card } from './card.ts';
export * from './host.ts';
export {
  CLA_ISO,
  CLA_PROPRIETARY,
  INS,
  JPKI_AP_AID,
  JPKI_EF,
  USER_AUTH_PIN_LENGTH,
  USER_AUTH_PIN_MAX_TRIES,
} from './jpki.ts';
export { type PinCounter, VirtualMyNumberCard, type VirtualMyNumberCardOptions } from './virtual-card.ts';
export { openVirtualMyNumberCard } from './virtual-card-file.ts';
