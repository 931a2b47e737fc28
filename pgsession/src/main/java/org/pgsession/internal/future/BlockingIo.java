package org.pgsession.internal.future;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Daemon threads for the user's blocking streams of {@code copyIn(InputStream)} and
 * {@code copyOut(OutputStream)}: never the event loop, never the common pool, and not the
 * driver's DNS/SCRAM pool (a stalled user stream must not delay connecting). A thread exists only
 * while a stream is being read or written and goes away after 30 s idle.
 */
final class BlockingIo {
  private static final ExecutorService POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
      new SynchronousQueue<>(), new DefaultThreadFactory("pgsession-copy-io", true));

  private BlockingIo() {}

  /** @return the executor */
  static ExecutorService executor() {
    return POOL;
  }
}
