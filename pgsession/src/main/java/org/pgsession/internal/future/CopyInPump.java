package org.pgsession.internal.future;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.pgsession.CopyInReceiver;
import org.pgsession.PgException;
import org.pgsession.QueryFailure;
import org.pgsession.Session;
import org.pgsession.internal.session.SessionMachine;

/**
 * {@code copyIn(sql, InputStream)}: answers each {@code pgCopyReady} (the session's pull, which
 * waits for the previous chunk to be written and the channel to be writable) by reading the next
 * chunk of up to 64 KiB on a {@link BlockingIo} thread. End of stream finishes the COPY; an
 * {@link IOException} aborts it (CopyFail) and is the future's failure. The stream is not closed.
 */
public final class CopyInPump implements CopyInReceiver {
  static final int CHUNK = 64 * 1024;

  private final SessionMachine machine;
  private final InputStream in;
  private final LoopFuture<Long> future = new LoopFuture<>();
  private volatile Throwable readFailure;

  /**
   * @param machine the session
   * @param in the COPY data
   */
  public CopyInPump(SessionMachine machine, InputStream in) {
    this.machine = machine;
    this.in = in;
  }

  /** @return completes with the number of rows copied */
  public LoopFuture<Long> future() {
    return future;
  }

  @Override
  public void pgCopyReady(Session session) {
    BlockingIo.executor().execute(this::readChunk);
  }

  private void readChunk() {
    try {
      byte[] chunk = new byte[CHUNK];
      int n = in.readNBytes(chunk, 0, CHUNK);
      if (n == 0) {
        machine.finishCopy();
      } else {
        machine.sendCopyData(n == CHUNK ? chunk : Arrays.copyOf(chunk, n));
      }
    } catch (IOException | RuntimeException e) {
      readFailure = e;
      machine.abortCopy("reading the COPY data failed: " + e);
    }
  }

  @Override
  public void pgCopyComplete(Session session, long count) {
    future.complete(count);
  }

  @Override
  public void pgCopyFailed(Session session, QueryFailure failure) {
    Throwable cause = readFailure;
    future.completeExceptionally(cause != null ? cause : new PgException(failure));
  }
}
