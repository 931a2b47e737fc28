package org.pgsession;

/**
 * Receives the outcome of {@link Session#execute}: results, then exactly one terminal callback.
 *
 * <p>A multi-statement {@link SimpleQuery} delivers each statement's result as it completes.
 * When a later statement fails, or the connection dies (or the session is closed) after some
 * results were delivered, the receiver has seen those results and then gets exactly one
 * {@link #pgQueryFailed} with the cause; no {@link #pgQueryComplete}. Results already delivered
 * are not withdrawn, even though PostgreSQL runs the statements of one Query message as one
 * implicit transaction and rolls their effects back on the failure (unless the SQL contains
 * its own transaction control, e.g. a COMMIT before the failing statement).
 */
public interface ResultReceiver {
  /**
   * One statement's result. For a multi-statement {@link SimpleQuery} this is called once per
   * statement; the operation is done after the last one unless a later statement fails.
   *
   * @param session the session
   * @param result the result
   */
  void pgQueryResult(Session session, Result result);

  /**
   * The query failed; terminal.
   *
   * @param session the session
   * @param query the query
   * @param failure the server error or client-side reason
   */
  void pgQueryFailed(Session session, Query query, QueryFailure failure);

  /**
   * Called once after the last {@link #pgQueryResult} when the whole query succeeded (for a
   * multi-statement {@link SimpleQuery}: after every statement's result). Never called when the
   * query failed; {@link #pgQueryFailed} is then the last callback.
   *
   * @param session the session
   * @param query the query that completed
   */
  default void pgQueryComplete(Session session, Query query) {}
}
