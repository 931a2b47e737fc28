package org.pgsession;

/** Receives the outcome of {@link Session#prepare}: exactly one of the two callbacks. */
public interface PrepareReceiver {
  /**
   * @param session the session
   * @param name the statement is ready under this name
   */
  void pgStatementPrepared(Session session, String name);

  /**
   * @param session the session
   * @param name the statement name
   * @param failure why it failed
   */
  void pgPrepareFailed(Session session, String name, QueryFailure failure);
}
