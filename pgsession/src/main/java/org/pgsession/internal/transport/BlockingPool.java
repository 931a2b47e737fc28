package org.pgsession.internal.transport;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A small daemon pool for blocking work that must never run on an event loop, with a bounded
 * queue: when it is full, {@code execute} throws {@link java.util.concurrent.RejectedExecutionException}
 * and the caller fails its connection attempt with a clear reason rather than waiting behind an
 * unbounded backlog.
 */
public final class BlockingPool {
  private BlockingPool() {}

  /**
   * @param name thread name prefix
   * @param threads pool size (threads time out when idle)
   * @param queueCapacity tasks that may wait for a thread
   * @return the pool
   */
  public static ThreadPoolExecutor create(String name, int threads, int queueCapacity) {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(queueCapacity), new DefaultThreadFactory(name, true),
        new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
