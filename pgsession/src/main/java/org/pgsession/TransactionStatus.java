package org.pgsession;

/** The backend's transaction state, as reported by every ReadyForQuery. */
public enum TransactionStatus {
  /** Not in a transaction block. */
  IDLE,
  /** Inside a transaction block. */
  IN_BLOCK,
  /** Inside a failed transaction block; statements are rejected until it ends. */
  FAILED
}
