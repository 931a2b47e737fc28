package org.pgsession.reliability;

/** The rows of the fault matrix: what breaks the connection. */
enum FaultKind {
  /** The connection closes (FIN) at the trigger point. */
  CLOSE,
  /** The connection is reset (RST) at the trigger point. */
  RST,
  /** The server's next bytes are cut after a few bytes (a truncated message), then FIN. */
  CLOSE_AFTER_BYTES,
  /** Both directions go dark (server stops reading and answering), then the user calls close(). */
  BLACK_HOLE_CLOSE,
  /** Both directions go dark while a statement timeout (or connect timeout) runs. */
  BLACK_HOLE_TIMEOUT,
  /** An administrator ends the backend (pg_terminate_backend) at the trigger point. */
  TERMINATE_BACKEND;

  /** @return whether the operation in flight can still legitimately succeed */
  boolean opMaySucceed() {
    return this == TERMINATE_BACKEND;
  }
}
