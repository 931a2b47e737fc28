package org.pgsession;

/** Receives the outcome of {@link Session#execute}: results, then exactly one terminal callback. */
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
