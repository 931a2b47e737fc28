package org.pgsession;

/** Receives a COPY ... TO STDOUT. */
public interface CopyOutReceiver {
  /**
   * @param session the session
   * @param data one chunk of COPY data (usually one row)
   */
  void pgCopyData(Session session, byte[] data);

  /**
   * @param session the session
   * @param count rows copied; terminal
   */
  void pgCopyComplete(Session session, long count);

  /**
   * @param session the session
   * @param failure why the copy failed; terminal
   */
  void pgCopyFailed(Session session, QueryFailure failure);
}
