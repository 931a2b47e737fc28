package org.pgsession;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.pgsession.internal.pool.PoolHooks;
import org.pgsession.internal.pool.SessionPool;

/**
 * A bounded pool of ready {@link Session}s, shared by any number of threads (plain or virtual)
 * and by asynchronous code; there is no thread per session and no borrower ever blocks a thread
 * inside the pool.
 *
 * <ul>
 *   <li>At most {@link PoolOptions#withMaxSize maxSize} sessions; borrowers beyond that wait in
 *       FIFO order, each at most the acquire timeout, then fail with a {@link PgException} whose
 *       failure is {@link ClientQueryError.PoolTimedOut}.</li>
 *   <li>A session goes back to the pool when the work's stage has completed and nothing is in
 *       flight or queued on it; inside a transaction block it is rolled back first. A session
 *       that shut down (terminated by the server, network failure) is dropped and replaced.</li>
 *   <li>Sessions older than the maximum lifetime, and idle sessions beyond {@code minIdle} idle
 *       longer than the idle timeout, are closed; {@code minIdle} idle sessions are kept open.</li>
 *   <li>{@link #close()} stops lending, waits until every borrowed session has come back (no work
 *       is cut off), then closes them all.</li>
 * </ul>
 *
 * <pre>{@code
 * try (PgPool pool = PgPool.create(config, PoolOptions.defaults().withMaxSize(5))) {
 *   Rows rows = pool.query("select name from users where id = $1", 42).join(); // any thread
 *   long moved = pool.inTransaction(s -> s.update("update acct set v = v - 10 where id = 1")
 *       .thenCompose(n -> s.update("update acct set v = v + 10 where id = 2"))).join();
 *   pool.withSession(s -> s.query("select 1")).thenAccept(r -> System.out.println(r.size()));
 * }
 * }</pre>
 *
 * <p>The work passed to {@link #withSession} runs on the borrowed session's event loop and must
 * not block; as with {@link Session}, {@code join()} on an event loop thread is refused.
 */
public final class PgPool implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("org.pgsession");
  private final SessionPool pool;

  private PgPool(ConnectConfig config, PoolOptions options) {
    SessionObserver observer = options.observer();
    ConnectConfig sessions = observer == null || config.options().observer() != null ? config
        : config.withOptions(config.options().withObserver(observer));
    this.pool = new SessionPool(options, new PoolHooks() {
      @Override
      public CompletableFuture<Session> open() {
        return Session.open(sessions);
      }

      @Override
      public boolean observed() {
        return observer != null;
      }

      @Override
      public <R> Function<Session, R> inCallerContext(Function<Session, R> work) {
        Session[] borrowed = new Session[1];
        Object[] result = new Object[1];
        Runnable inContext;
        try {
          inContext = observer.inCallerContext(() -> result[0] = work.apply(borrowed[0]));
        } catch (RuntimeException | LinkageError e) {
          LOG.log(System.Logger.Level.WARNING, "pgsession: SessionObserver.inCallerContext threw; ignored", e);
          return work;
        }
        return session -> {
          borrowed[0] = session;
          inContext.run();
          @SuppressWarnings("unchecked")
          R r = (R) result[0];
          return r;
        };
      }

      @Override
      public void acquired(long waitNanos, Throwable failure) {
        try {
          observer.poolAcquired(PgPool.this, waitNanos, failure);
        } catch (RuntimeException | LinkageError e) {
          LOG.log(System.Logger.Level.WARNING, "pgsession: SessionObserver.poolAcquired threw; ignored", e);
        }
      }

      @Override
      public void whenIdle(Session session, Runnable task) {
        session.whenIdle(task);
      }

      @Override
      public CompletionStage<Void> shutdown(Session session) {
        return session.shutdownFuture();
      }

      @Override
      public void onLoop(Session session, Runnable task) {
        session.runOnLoop(task);
      }
    });
  }

  /**
   * Creates a pool; sessions are opened on demand (and {@code minIdle} of them at once).
   *
   * @param config servers, login and session settings
   * @param options bounds and timeouts
   * @return the pool
   */
  public static PgPool create(ConnectConfig config, PoolOptions options) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(options, "options");
    PgPool pool = new PgPool(config, options);
    if (options.observer() != null) {
      try {
        options.observer().poolCreated(pool); // after construction: gauges may read stats() at once
      } catch (RuntimeException | LinkageError e) {
        LOG.log(System.Logger.Level.WARNING, "pgsession: SessionObserver.poolCreated threw; ignored", e);
      }
    }
    return pool;
  }

  /**
   * Creates a pool with default {@link PoolOptions} from a connection string.
   *
   * @param connectionString a libpq URI or {@code key=value} string ({@link ConnectConfig#parse})
   * @return the pool
   */
  public static PgPool create(String connectionString) {
    Objects.requireNonNull(connectionString, "connectionString");
    return create(ConnectConfig.parse(connectionString), PoolOptions.defaults());
  }

  /**
   * Borrows a session, runs {@code work} with it, and returns the session when the work's stage
   * completes.
   *
   * @param <T> the work's value
   * @param work statements to run on the session it is given (runs on that session's event loop)
   * @return the work's value or failure; a {@link PgException} when no session could be had
   */
  public <T> CompletableFuture<T> withSession(Function<Session, ? extends CompletionStage<T>> work) {
    return pool.withSession(work);
  }

  /**
   * Borrows a session and runs {@code work} inside a transaction block there
   * ({@link Session#inTransaction}).
   *
   * @param <T> the work's value
   * @param work the statements
   * @return the work's value after COMMIT, or the work's failure after ROLLBACK
   */
  public <T> CompletableFuture<T> inTransaction(Function<Session, ? extends CompletionStage<T>> work) {
    Objects.requireNonNull(work, "work");
    return pool.withSession(s -> s.inTransaction(work));
  }

  /**
   * {@link Session#query} on a borrowed session.
   *
   * @param sql one statement with {@code $n} placeholders
   * @param params the values
   * @return the rows
   */
  public CompletableFuture<Rows> query(String sql, Object... params) {
    return pool.withSession(s -> s.query(sql, params));
  }

  /**
   * {@link Session#update} on a borrowed session.
   *
   * @param sql one statement with {@code $n} placeholders
   * @param params the values
   * @return the number of rows affected
   */
  public CompletableFuture<Long> update(String sql, Object... params) {
    return pool.withSession(s -> s.update(sql, params));
  }

  /** @return a snapshot of the pool's sessions, waiters and counters */
  public PoolStats stats() {
    return pool.stats();
  }

  /**
   * Stops lending (waiting borrowers fail with {@link ClientQueryError.PoolClosed}) and closes
   * every session, the borrowed ones once they come back.
   *
   * @return completes when every session has shut down
   */
  public CompletableFuture<Void> closeAsync() {
    return pool.closeAsync();
  }

  /**
   * {@link #closeAsync()} and waits for it: blocks until borrowed sessions have come back and
   * every session has shut down. Not on an event loop thread (refused there).
   */
  @Override
  public void close() {
    pool.closeAsync().join();
  }
}
