package org.pgsession.internal.pool;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.pgsession.Session;

/** What the pool needs from sessions beyond their public API (supplied by {@code PgPool}). */
public interface PoolHooks {
  /** @return a new ready session */
  CompletableFuture<Session> open();

  /**
   * @param session a session
   * @param task run on its event loop once nothing is in flight or queued (or it shut down)
   */
  void whenIdle(Session session, Runnable task);

  /** @param session a session @return completes when it has shut down (without closing it) */
  CompletionStage<Void> shutdown(Session session);

  /** @param session a session @param task run on its event loop */
  void onLoop(Session session, Runnable task);

  /** @return whether {@link #acquired} wants to hear of acquires (a pool observer is set) */
  default boolean observed() {
    return false;
  }

  /**
   * A borrower got a session or gave up (called only when {@link #observed}).
   *
   * @param waitNanos how long it waited
   * @param failure why it got none, or null
   */
  default void acquired(long waitNanos, Throwable failure) {}

  /**
   * Called on the thread that calls the pool, when {@link #observed}.
   *
   * @param <R> the work's result
   * @param work the borrower's work
   * @return the work, run in the caller's context (for tracing) wherever it is applied
   */
  default <R> java.util.function.Function<Session, R> inCallerContext(java.util.function.Function<Session, R> work) {
    return work;
  }
}
