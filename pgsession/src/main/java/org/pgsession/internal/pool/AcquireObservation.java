package org.pgsession.internal.pool;

import org.pgsession.PoolStats;
import org.pgsession.internal.jfr.Jfr;
import org.pgsession.internal.jfr.PoolAcquireEvent;

/**
 * One borrower's wait for a session, reported to the JFR event and to
 * {@link PoolHooks#acquired} (the pool's observer). Created only when one of them listens.
 */
final class AcquireObservation {
  private final long startNanos = System.nanoTime();
  private final PoolAcquireEvent event;

  private AcquireObservation(boolean jfr) {
    event = jfr ? new PoolAcquireEvent() : null;
    if (event != null) {
      event.begin();
    }
  }

  /**
   * @param hooks the pool's hooks
   * @return an observation started now, or null when nobody listens
   */
  static AcquireObservation start(PoolHooks hooks) {
    boolean jfr = Jfr.poolAcquire();
    return jfr || hooks.observed() ? new AcquireObservation(jfr) : null;
  }

  /**
   * @param hooks the pool's hooks
   * @param stats the pool's counters (read only for the JFR event)
   * @param failure why no session was had, or null
   */
  void end(PoolHooks hooks, java.util.function.Supplier<PoolStats> stats, Throwable failure) {
    if (event != null) {
      event.end();
      if (event.shouldCommit()) {
        event.acquired = failure == null;
        event.failure = failure == null ? null : failure.toString();
        PoolStats now = stats.get();
        event.inUse = now.inUse();
        event.waiting = now.waiting();
        event.commit();
      }
    }
    if (hooks.observed()) {
      hooks.acquired(System.nanoTime() - startNanos, failure);
    }
  }
}
