package org.pgsession;

/** Receives a pipeline's outcomes: one per index, in order, then {@link #pgPipelineComplete}. */
public interface PipelineReceiver {
  /**
   * @param session the session
   * @param index query position
   * @param result its result
   */
  void pgPipelineResult(Session session, int index, Result result);

  /**
   * @param session the session
   * @param index query position
   * @param query the query
   * @param failure why it failed
   */
  void pgPipelineFailed(Session session, int index, ExtendedQuery query, QueryFailure failure);

  /**
   * @param session the session; always last, exactly once
   */
  void pgPipelineComplete(Session session);
}
