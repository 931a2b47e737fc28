package org.pgsession;

/**
 * Session lifecycle events. Every method defaults to a no-op; all run on the session's event
 * loop thread and must not block.
 */
public interface SessionStatusNotify {
  /**
   * TCP is up (before TLS and authentication).
   *
   * @param session the session
   */
  default void pgSessionConnected(Session session) {}

  /**
   * The session never became ready; {@link #pgSessionShutdown} follows at once.
   *
   * @param session the session
   * @param reason why
   */
  default void pgSessionConnectionFailed(Session session, ConnectionFailureReason reason) {}

  /**
   * Authentication succeeded.
   *
   * @param session the session
   */
  default void pgSessionAuthenticated(Session session) {}

  /**
   * Every ReadyForQuery, including the first.
   *
   * @param session the session
   * @param status state
   */
  default void pgTransactionStatus(Session session, TransactionStatus status) {}

  /**
   * A LISTEN/NOTIFY notification.
   *
   * @param session the session
   * @param notification it
   */
  default void pgNotification(Session session, Notification notification) {}

  /**
   * A server notice, in any connected state.
   *
   * @param session the session
   * @param notice it
   */
  default void pgNotice(Session session, NoticeResponseMessage notice) {}

  /**
   * A run-time parameter value.
   *
   * @param session the session
   * @param status name and value
   */
  default void pgParameterStatus(Session session, ParameterStatus status) {}

  /**
   * The session is gone; exactly once, last.
   *
   * @param session the session
   */
  default void pgSessionShutdown(Session session) {}

  /**
   * The server ended a ready session with a FATAL or PANIC ErrorResponse (administrator command,
   * idle session timeout, server shutdown, ...). The session closes at once afterwards and ends
   * like any shutdown ({@link #pgSessionShutdown} last).
   *
   * @param session the session
   * @param error the server's error
   */
  default void pgSessionTerminated(Session session, ErrorResponseMessage error) {}
}
