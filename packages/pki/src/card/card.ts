/**
 * A smart card as a reader sees it: command APDUs in, response APDUs out. The virtual My Number
 * card is one implementation; a PC/SC card (SCardTransmit / SCardReconnect) could be another.
 */
export interface Card {
  /** Sends one command APDU and resolves to the response APDU (data ‖ SW1 SW2). */
  transmit(command: Uint8Array): Promise<Uint8Array>;
  /**
   * Starts a new card session, as a warm reset (or taking the card off the reader and placing
   * it again) does: no application selected, no PIN verified.
   */
  reset(): Promise<void>;
}
