package org.pgsession.internal.pool;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * One daemon thread shared by every pool for acquire timeouts and housekeeping. Its tasks only
 * take the pool's short lock and post work to event loops; they never block.
 */
final class PoolTimer {
  private static final ScheduledThreadPoolExecutor TIMER = newTimer();

  private PoolTimer() {}

  static ScheduledThreadPoolExecutor get() {
    return TIMER;
  }

  private static ScheduledThreadPoolExecutor newTimer() {
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("pgsession-pool-timer",
        true));
    t.setRemoveOnCancelPolicy(true);
    return t;
  }
}
