package org.pgsession;

/**
 * Observation hooks for metrics and tracing (the {@code pgsession-micrometer} and
 * {@code pgsession-opentelemetry} modules implement it). Every method has a no-op default, so
 * an implementation overrides only what it needs. Set it with
 * {@link SessionOptions#withObserver} (sessions) and {@link PoolOptions#withObserver} (pools;
 * the pool's sessions use it too unless their own options name one).
 *
 * <p>Calls come from the session's event loop, except {@link #operationStarted}, which runs on
 * the thread that called the session method (so a tracer can pick up the caller's context),
 * and the pool methods, which run where the pool completes the acquire. Implementations must
 * be fast and thread-safe and must not block. An exception thrown by a hook is logged and
 * ignored: it never breaks the session. Bound parameter values are never passed to a hook.
 *
 * <pre>{@code
 * SessionOptions options = SessionOptions.defaults().withObserver(new SessionObserver() {
 *   public void operationFinished(ObservedOperation op, Object context, long rows,
 *       long durationNanos, QueryFailure failure) {
 *     log(op.kind(), op.sql(), rows, durationNanos, failure);
 *   }
 * });
 * }</pre>
 */
public interface SessionObserver {

  /**
   * A session starts connecting.
   *
   * @param server where to
   * @param database as whom, to which database
   * @return a context handed back to {@link #connectFinished} (e.g. a span), or null
   */
  default Object connectStarted(ServerConnectInfo server, DatabaseConnectInfo database) {
    return null;
  }

  /**
   * The session became ready (first ReadyForQuery) or its connect failed.
   *
   * @param server where to
   * @param database as whom, to which database
   * @param context what {@link #connectStarted} returned
   * @param durationNanos since the connect started
   * @param failure why it failed, or null (it became ready, or was closed by the user first)
   * @param ready whether the session became ready
   */
  default void connectFinished(ServerConnectInfo server, DatabaseConnectInfo database, Object context,
      long durationNanos, ConnectionFailureReason failure, boolean ready) {}

  /**
   * An operation was submitted (on the calling thread).
   *
   * @param operation what it is
   * @return a context handed back to {@link #operationFinished} (e.g. a span), or null
   */
  default Object operationStarted(ObservedOperation operation) {
    return null;
  }

  /**
   * An operation ended (its terminal callback is being or was just delivered).
   *
   * @param operation what it is
   * @param context what {@link #operationStarted} returned
   * @param rows rows the server reported (sum of the CommandComplete counts: rows returned,
   *     inserted, updated, deleted or copied)
   * @param durationNanos from submission to the end
   * @param failure why it failed, or null; an {@link ErrorResponseMessage} carries the SQLSTATE
   *     in {@link ErrorResponseMessage#code()}; for a pipeline whose statements failed one by
   *     one, the first statement's error
   */
  default void operationFinished(ObservedOperation operation, Object context, long rows, long durationNanos,
      QueryFailure failure) {}

  /**
   * A CancelRequest was sent for the session's operation in flight.
   *
   * @param server the server it was sent to
   */
  default void cancelSent(ServerConnectInfo server) {}

  /**
   * A pool was created with this observer ({@link PoolOptions#withObserver}); metrics register
   * gauges on {@link PgPool#stats()} here.
   *
   * @param pool the pool
   */
  default void poolCreated(PgPool pool) {}

  /**
   * A borrower of the pool got a session or gave up.
   *
   * @param pool the pool
   * @param waitNanos from the acquire call to its outcome
   * @param failure why no session was had ({@link PgException} with
   *     {@link ClientQueryError.PoolTimedOut}, a connect failure, ...), or null
   */
  default void poolAcquired(PgPool pool, long waitNanos, Throwable failure) {}

  /**
   * Carries the caller's context (a tracer's current span, ...) to where a pool runs the work
   * given to {@link PgPool#withSession}: called on the thread that called the pool, and the
   * returned task runs on the borrowed session's event loop. So the operations the work submits
   * start (in {@link #operationStarted}) under the caller's context.
   *
   * @param task the work, applied to the borrowed session
   * @return a task that runs {@code task} inside the context current now; the default returns
   *     {@code task}
   */
  default Runnable inCallerContext(Runnable task) {
    return task;
  }
}
