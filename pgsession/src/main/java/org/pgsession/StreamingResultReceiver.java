package org.pgsession;

/** Receives a streamed query in windows of rows. */
public interface StreamingResultReceiver {
  /**
   * At most windowSize rows; call {@link Session#fetchMore} for the next window or
   * {@link Session#closeStream} to stop.
   *
   * @param session the session
   * @param rows the rows of this window
   */
  void pgStreamBatch(Session session, Rows rows);

  /**
   * @param session the session; terminal: all rows delivered or the stream was closed
   */
  void pgStreamComplete(Session session);

  /**
   * @param session the session
   * @param query the query
   * @param failure why; terminal
   */
  void pgStreamFailed(Session session, ExtendedQuery query, QueryFailure failure);
}
