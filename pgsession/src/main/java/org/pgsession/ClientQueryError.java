package org.pgsession;

/** An operation failure that did not come from a server ErrorResponse. */
public sealed interface ClientQueryError extends QueryFailure permits ClientQueryError.SessionNeverOpened,
    ClientQueryError.SessionClosed, ClientQueryError.SessionNotAuthenticated, ClientQueryError.DataError,
    ClientQueryError.PipelineAborted, ClientQueryError.StatementTimedOut, ClientQueryError.PoolTimedOut,
    ClientQueryError.PoolClosed, ProtocolViolation {

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

  /**
   * A query of a {@code Session.batch} was not run because an earlier query of the same batch
   * failed (the batch is atomic: everything before the failure is rolled back too).
   */
  record PipelineAborted() implements ClientQueryError {}

  /**
   * The operation's statement timeout expired and the server did not end it within the session's
   * cancel grace period after the CancelRequest (half-open connection, black hole), or a stream's
   * consumer held a window past the timeout. For a non-stream operation the session is closed.
   *
   * @param timeout the statement timeout that expired
   */
  record StatementTimedOut(java.time.Duration timeout) implements ClientQueryError {}

  /**
   * A {@link PgPool} borrower waited longer than the pool's acquire timeout for a session.
   *
   * @param timeout the acquire timeout
   */
  record PoolTimedOut(java.time.Duration timeout) implements ClientQueryError {}

  /** The {@link PgPool} was closed before it could hand out a session. */
  record PoolClosed() implements ClientQueryError {}
}
