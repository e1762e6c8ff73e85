/** What one reconciliation run looked at and did, for its log line and cursor row. */
export interface CheckTally {
  paymentIntents: number;
  refunds: number;
  events: number;
  /** Differences seen in this run (new ones and ones seen again). */
  recorded: number;
  /** Differences this run fixed. */
  fixed: number;
}

export function emptyTally(): CheckTally {
  return { paymentIntents: 0, refunds: 0, events: 0, recorded: 0, fixed: 0 };
}
