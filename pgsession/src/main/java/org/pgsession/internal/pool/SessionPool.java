package org.pgsession.internal.pool;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.pgsession.ClientQueryError;
import org.pgsession.PgException;
import org.pgsession.PoolOptions;
import org.pgsession.PoolStats;
import org.pgsession.Session;
import org.pgsession.SimpleQuery;
import org.pgsession.TransactionStatus;
import org.pgsession.internal.future.LoopFuture;
import org.pgsession.internal.future.Transactions;
import org.pgsession.internal.transport.EventLoops;

/**
 * The pool behind {@code PgPool}. No thread per session and no blocking: borrowers waiting for a
 * session are futures in a FIFO queue; one short {@link ReentrantLock} section decides who gets
 * what, and every completion, open and close happens after the lock is released. A session is
 * handed to a borrower on the session's own event loop.
 *
 * <p>Health: a session that shut down (server terminated it, network failure) is dropped at
 * once when idle, or when it comes back; a waiting borrower then gets a new one. A session comes
 * back only once nothing is in flight or queued on it, and inside a transaction block it is
 * rolled back first. Lifetime and idle timeouts are applied by a periodic task and whenever a
 * session is handed out or comes back.
 */
public final class SessionPool {
  private static final SimpleQuery ROLLBACK = new SimpleQuery("ROLLBACK");

  private final PoolOptions options;
  private final PoolHooks hooks;
  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock:
  private final ArrayDeque<Entry> idle = new ArrayDeque<>(); // most recently returned first
  private final Set<Entry> all = new HashSet<>();
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private final List<CompletableFuture<Void>> closing = new ArrayList<>();
  private int opening;
  private boolean closed;
  private boolean closeCompletionStarted;
  private long acquired;
  private long created;
  private long closedCount;
  private long acquireTimeouts;
  private final LoopFuture<Void> closeFuture = new LoopFuture<>();
  private final ScheduledFuture<?> housekeeping;

  /** A pooled session. */
  static final class Entry {
    final Session session;
    final long createdNanos;
    long idleSinceNanos;
    boolean borrowed;
    boolean gone;

    Entry(Session session, long now) {
      this.session = session;
      this.createdNanos = now;
      this.idleSinceNanos = now;
    }
  }

  /** A borrower waiting for a session. */
  private static final class Waiter {
    final LoopFuture<Entry> future = new LoopFuture<>();
    ScheduledFuture<?> timeout;
  }

  /**
   * @param options bounds and timeouts
   * @param hooks how sessions are opened and watched
   */
  public SessionPool(PoolOptions options, PoolHooks hooks) {
    this.options = options;
    this.hooks = hooks;
    long periodNanos = housekeepingPeriod(options).toNanos();
    this.housekeeping = PoolTimer.get().scheduleWithFixedDelay(this::housekeep, periodNanos, periodNanos,
        TimeUnit.NANOSECONDS);
    locked(this::topUp);
  }

  static Duration housekeepingPeriod(PoolOptions options) {
    Duration shortest = options.idleTimeout().compareTo(options.maxLifetime()) < 0
        ? options.idleTimeout() : options.maxLifetime();
    Duration quarter = shortest.dividedBy(4);
    Duration min = Duration.ofMillis(50);
    Duration max = Duration.ofSeconds(5);
    return quarter.compareTo(min) < 0 ? min : quarter.compareTo(max) > 0 ? max : quarter;
  }

  /**
   * Borrows a session for {@code work} and returns it when the work's stage completes.
   *
   * @param <T> the work's value
   * @param work the work
   * @return the work's value, or its failure, or a {@link PgException} (pool timeout, pool
   *     closed, connection failure)
   */
  public <T> LoopFuture<T> withSession(Function<Session, ? extends CompletionStage<T>> borrowerWork) {
    Objects.requireNonNull(borrowerWork, "work");
    Function<Session, ? extends CompletionStage<T>> work =
        hooks.observed() ? hooks.inCallerContext(borrowerWork) : borrowerWork;
    LoopFuture<T> result = new LoopFuture<>();
    AcquireObservation observation = AcquireObservation.start(hooks);
    acquire().whenComplete((entry, failure) -> {
      if (observation != null) {
        observation.end(hooks, this::stats, failure == null ? null : Transactions.unwrap(failure));
      }
      if (failure != null) {
        result.completeExceptionally(Transactions.unwrap(failure));
        return;
      }
      CompletionStage<T> stage;
      try {
        stage = Objects.requireNonNull(work.apply(entry.session), "the pool work returned null");
      } catch (Throwable thrown) {
        release(entry);
        result.completeExceptionally(thrown);
        return;
      }
      stage.whenComplete((value, workFailure) -> {
        release(entry);
        if (workFailure != null) {
          result.completeExceptionally(Transactions.unwrap(workFailure));
        } else {
          result.complete(value);
        }
      });
    });
    return result;
  }

  private LoopFuture<Entry> acquire() {
    Waiter w = new Waiter();
    List<Runnable> after = new ArrayList<>(2);
    lock.lock();
    try {
      if (closed) {
        return LoopFuture.failed(new PgException(new ClientQueryError.PoolClosed()));
      }
      waiters.add(w);
      dispatch(after);
      if (waiters.contains(w)) {
        w.timeout = PoolTimer.get().schedule(() -> timedOut(w), options.acquireTimeout().toNanos(),
            TimeUnit.NANOSECONDS);
      }
    } finally {
      lock.unlock();
    }
    runAll(after);
    return w.future;
  }

  private void timedOut(Waiter w) {
    lock.lock();
    try {
      if (!waiters.remove(w)) {
        return; // granted meanwhile
      }
      acquireTimeouts++;
    } finally {
      lock.unlock();
    }
    PgException e = new PgException(new ClientQueryError.PoolTimedOut(options.acquireTimeout()));
    EventLoops.next().execute(() -> w.future.completeExceptionally(e));
  }

  /** Hands idle sessions to waiters in FIFO order, and opens sessions for the ones left. Under lock. */
  private void dispatch(List<Runnable> after) {
    while (!waiters.isEmpty()) {
      Entry e = pollUsableIdle(after);
      if (e == null) {
        break;
      }
      grant(waiters.poll(), e, after);
    }
    int unmet = waiters.size() - opening;
    while (unmet > 0 && all.size() + opening < options.maxSize()) {
      opening++;
      unmet--;
      after.add(this::openOne);
    }
  }

  private Entry pollUsableIdle(List<Runnable> after) {
    long now = System.nanoTime();
    Entry e;
    while ((e = idle.pollFirst()) != null) {
      if (!e.session.isOpen()) {
        forget(e);
      } else if (expired(e, now)) {
        retire(e);
      } else {
        return e;
      }
    }
    return null;
  }

  private void grant(Waiter w, Entry e, List<Runnable> after) {
    e.borrowed = true;
    acquired++;
    if (w.timeout != null) {
      w.timeout.cancel(false);
    }
    after.add(() -> hooks.onLoop(e.session, () -> {
      if (!w.future.complete(e)) {
        release(e); // the borrower cancelled its future
      }
    }));
  }

  private void openOne() {
    CompletableFuture<Session> opened;
    try {
      opened = hooks.open();
    } catch (RuntimeException e) {
      opened = LoopFuture.failed(e);
    }
    opened.whenComplete(this::opened);
  }

  private void opened(Session session, Throwable failure) {
    locked(after -> {
      opening--;
      if (failure != null) {
        Waiter w = waiters.poll(); // the connection failure is the answer for the longest waiter
        if (w != null) {
          if (w.timeout != null) {
            w.timeout.cancel(false);
          }
          Throwable cause = Transactions.unwrap(failure);
          after.add(() -> w.future.completeExceptionally(cause));
        }
        if (!closed) {
          dispatch(after);
        }
      } else {
        Entry e = new Entry(session, System.nanoTime());
        all.add(e);
        created++;
        after.add(() -> hooks.shutdown(session).thenRun(() -> onShutdown(e)));
        makeAvailable(e, after);
      }
    });
  }

  /** A session is free: to the longest waiter, else idle; retired when expired or the pool is closed. */
  private void makeAvailable(Entry e, List<Runnable> after) {
    e.borrowed = false;
    if (closed || expired(e, System.nanoTime())) {
      retire(e);
      if (!closed) {
        dispatch(after);
      }
    } else if (!waiters.isEmpty()) {
      grant(waiters.poll(), e, after);
    } else {
      e.idleSinceNanos = System.nanoTime();
      idle.addFirst(e);
    }
  }

  /**
   * Returns a borrowed session once nothing is in flight or queued on it; rolls back an open
   * transaction block first; drops it when it shut down.
   */
  private void release(Entry e) {
    hooks.whenIdle(e.session, () -> {
      if (!e.session.isOpen()) {
        dropDead(e);
      } else if (e.session.transactionStatus() != TransactionStatus.IDLE) {
        e.session.execute(ROLLBACK).whenComplete((r, failure) -> {
          if (failure != null || e.session.transactionStatus() != TransactionStatus.IDLE) {
            e.session.close();
            dropDead(e);
          } else {
            checkIn(e);
          }
        });
      } else {
        checkIn(e);
      }
    });
  }

  private void checkIn(Entry e) {
    locked(after -> makeAvailable(e, after));
  }

  private void dropDead(Entry e) {
    locked(after -> replace(e, after));
  }

  /** A session shut down (e.g. the server terminated it): an idle one is dropped at once. */
  private void onShutdown(Entry e) {
    locked(after -> {
      if (!e.gone && !e.borrowed && idle.remove(e)) {
        replace(e, after); // a borrowed one is dropped when it comes back
      }
    });
  }

  /** Under lock: a dead session leaves; waiters and minIdle get new ones. */
  private void replace(Entry e, List<Runnable> after) {
    forget(e);
    if (!closed) {
      dispatch(after);
      topUp(after);
    }
  }

  /**
   * Runs a short decision section under the lock; what it leaves in {@code after} (completions,
   * opens, posts to event loops) runs once the lock is released.
   */
  private void locked(java.util.function.Consumer<List<Runnable>> section) {
    List<Runnable> after = new ArrayList<>(2);
    lock.lock();
    try {
      section.accept(after);
      checkClosed(after);
    } finally {
      lock.unlock();
    }
    runAll(after);
  }

  private boolean expired(Entry e, long now) {
    return now - e.createdNanos >= options.maxLifetime().toNanos();
  }

  /** Under lock: the entry leaves the pool (already shut down). */
  private void forget(Entry e) {
    if (!e.gone) {
      e.gone = true;
      all.remove(e);
      closedCount++;
    }
  }

  /** Under lock: the entry leaves the pool and is closed. */
  private void retire(Entry e) {
    if (!e.gone) {
      forget(e);
      closing.removeIf(CompletableFuture::isDone);
      closing.add(e.session.closeAsync()); // only posts to the session's loop
    }
  }

  /** Under lock: opens sessions until minIdle idle sessions exist or are being opened. */
  private void topUp(List<Runnable> after) {
    while (!closed && idle.size() + opening < options.minIdle() && all.size() + opening < options.maxSize()) {
      opening++;
      after.add(this::openOne);
    }
  }

  private void housekeep() {
    locked(after -> {
      if (closed) {
        return;
      }
      long now = System.nanoTime();
      long idleLimit = options.idleTimeout().toNanos();
      // From the least recently used end: beyond minIdle, idle too long; any, too old or dead.
      for (Iterator<Entry> it = idle.descendingIterator(); it.hasNext(); ) {
        Entry e = it.next();
        if (!e.session.isOpen()) {
          it.remove();
          forget(e);
        } else if (expired(e, now) || (idle.size() > options.minIdle() && now - e.idleSinceNanos >= idleLimit)) {
          it.remove();
          retire(e);
        }
      }
      dispatch(after);
      topUp(after);
    });
  }

  /** @return a snapshot */
  public PoolStats stats() {
    lock.lock();
    try {
      return new PoolStats(all.size(), idle.size(), all.size() - idle.size(), waiters.size(), acquired, created,
          closedCount, acquireTimeouts);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops lending: waiting borrowers fail with {@link ClientQueryError.PoolClosed}, idle sessions
   * close now, borrowed ones when they come back.
   *
   * @return completes when every session of the pool has shut down
   */
  public LoopFuture<Void> closeAsync() {
    List<Runnable> after = new ArrayList<>();
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        housekeeping.cancel(false);
        Waiter w;
        while ((w = waiters.poll()) != null) {
          if (w.timeout != null) {
            w.timeout.cancel(false);
          }
          Waiter failed = w;
          after.add(() -> EventLoops.next().execute(() ->
              failed.future.completeExceptionally(new PgException(new ClientQueryError.PoolClosed()))));
        }
        Entry e;
        while ((e = idle.poll()) != null) {
          retire(e);
        }
      }
      checkClosed(after);
    } finally {
      lock.unlock();
    }
    runAll(after);
    return (LoopFuture<Void>) closeFuture.copy();
  }

  /** Under lock: once closed and every session is back and closed, completes the close future. */
  private void checkClosed(List<Runnable> after) {
    if (!closed || closeCompletionStarted || !all.isEmpty() || opening > 0) {
      return;
    }
    closeCompletionStarted = true;
    CompletableFuture<?>[] pending = closing.toArray(new CompletableFuture<?>[0]);
    after.add(() -> CompletableFuture.allOf(pending).whenComplete((v, t) -> closeFuture.complete(null)));
  }

  private static void runAll(List<Runnable> actions) {
    for (Runnable r : actions) {
      r.run();
    }
  }
}
