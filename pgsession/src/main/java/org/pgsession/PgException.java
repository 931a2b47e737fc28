package org.pgsession;

/**
 * The failure of a future returned by the convenience API ({@link Session#query},
 * {@link Session#update}, {@link PgPool#withSession}, ...): it wraps the {@link QueryFailure} the
 * callback API would have delivered.
 *
 * <p>For a server error, {@link #sqlState()} is the SQLSTATE (e.g. {@code 23505} for a unique
 * violation) and the message holds the server's message, detail and hint. For a client-side
 * failure ({@link ClientQueryError}: session closed, data error, pool timeout, ...)
 * {@code sqlState()} is null.
 *
 * <pre>{@code
 * session.update("insert into t values ($1)", 1).exceptionally(e -> {
 *   if (e.getCause() instanceof PgException pg && "23505".equals(pg.sqlState())) { ... }
 *   return 0L;
 * });
 * }</pre>
 */
public class PgException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient QueryFailure failure;

  /**
   * @param failure the failure, as the callback API reports it
   */
  public PgException(QueryFailure failure) {
    this(describe(failure), failure, null);
  }

  /**
   * @param message the message
   * @param failure the failure; null when the error is not the failure of one operation (e.g. a
   *     transaction the server rolled back at COMMIT)
   * @param cause the underlying exception, or null
   */
  public PgException(String message, QueryFailure failure, Throwable cause) {
    super(message, cause);
    this.failure = failure;
  }

  /** @return the failure, as the callback API reports it (null only where the constructor got none) */
  public QueryFailure failure() {
    return failure;
  }

  /** @return the SQLSTATE of a server error; null for client-side failures */
  public String sqlState() {
    return failure instanceof ErrorResponseMessage e ? e.code() : null;
  }

  /**
   * A one-line description of a failure: for a server error its severity, SQLSTATE, message,
   * detail and hint; for a client-side failure what happened.
   *
   * @param failure the failure
   * @return the description
   */
  public static String describe(QueryFailure failure) {
    if (failure instanceof ErrorResponseMessage e) {
      return describeServerError(e);
    }
    if (failure instanceof ClientQueryError.SessionClosed) {
      return "the session is closed (it shut down before the operation finished)";
    }
    if (failure instanceof ClientQueryError.SessionNeverOpened) {
      return "the session is not connected yet";
    }
    if (failure instanceof ClientQueryError.SessionNotAuthenticated) {
      return "the session is not authenticated yet";
    }
    if (failure instanceof ClientQueryError.DataError d) {
      return "data error: " + d.message();
    }
    if (failure instanceof ClientQueryError.PipelineAborted) {
      return "not run: an earlier query of the same batch failed";
    }
    if (failure instanceof ClientQueryError.StatementTimedOut t) {
      return "statement timed out after " + t.timeout() + " and the server did not answer the cancel";
    }
    if (failure instanceof ClientQueryError.PoolTimedOut t) {
      return "the pool timed out: no session became available within " + t.timeout();
    }
    if (failure instanceof ClientQueryError.PoolClosed) {
      return "the pool is closed";
    }
    if (failure instanceof ProtocolViolation p) {
      return "protocol violation: " + p.message();
    }
    return String.valueOf(failure);
  }

  static String describeServerError(ErrorResponseMessage e) {
    StringBuilder sb = new StringBuilder();
    sb.append(e.severity()).append(' ').append(e.code()).append(": ").append(e.message());
    if (e.detail() != null) {
      sb.append(" (detail: ").append(e.detail()).append(')');
    }
    if (e.hint() != null) {
      sb.append(" (hint: ").append(e.hint()).append(')');
    }
    return sb.toString();
  }
}
