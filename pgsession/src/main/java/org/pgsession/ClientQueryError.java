package org.pgsession;

/** An operation failure that did not come from a server ErrorResponse. */
public sealed interface ClientQueryError extends QueryFailure permits ClientQueryError.SessionNeverOpened,
    ClientQueryError.SessionClosed, ClientQueryError.SessionNotAuthenticated, ClientQueryError.DataError,
    ProtocolViolation {

  /** The operation was called before the TCP connection was up. */
  record SessionNeverOpened() implements ClientQueryError {}
  /** The session shut down before the operation finished (or was called after shutdown). */
  record SessionClosed() implements ClientQueryError {}
  /** The operation was called after connecting but before authentication finished. */
  record SessionNotAuthenticated() implements ClientQueryError {}
  /**
   * A parameter could not be encoded or a result value could not be decoded.
   *
   * @param message which parameter or column, and why
   */
  record DataError(String message) implements ClientQueryError {}
}
