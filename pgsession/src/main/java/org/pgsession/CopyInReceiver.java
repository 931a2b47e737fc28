package org.pgsession;

/** Drives a COPY ... FROM STDIN: the driver pulls data with {@link #pgCopyReady}. */
public interface CopyInReceiver {
  /**
   * The driver is ready for more: answer with exactly one of {@link Session#sendCopyData},
   * {@link Session#finishCopy} or {@link Session#abortCopy}. Called only once everything sent
   * so far has been written and while the connection can take more, so memory stays bounded.
   * (Several chunks, or chunks and then {@code finishCopy}, in one answer are all sent in order;
   * they are buffered until written.)
   *
   * @param session the session
   */
  void pgCopyReady(Session session);

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
