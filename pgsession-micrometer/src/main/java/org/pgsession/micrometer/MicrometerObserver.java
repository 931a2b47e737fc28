package org.pgsession.micrometer;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.pgsession.ClientQueryError;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.ObservedOperation;
import org.pgsession.PgException;
import org.pgsession.PgPool;
import org.pgsession.QueryFailure;
import org.pgsession.ServerConnectInfo;
import org.pgsession.SessionObserver;

/** The observer behind {@link PgMicrometer}; meters are looked up (and cached) by the registry. */
final class MicrometerObserver implements SessionObserver {
  private final MeterRegistry registry;
  private final Tags tags;

  MicrometerObserver(MeterRegistry registry, Tags tags) {
    this.registry = registry;
    this.tags = tags;
  }

  @Override
  public void operationFinished(ObservedOperation operation, Object context, long rows, long durationNanos,
      QueryFailure failure) {
    String kind = operation.kind().name().toLowerCase(Locale.ROOT);
    Timer.builder(PgMicrometer.OPERATIONS)
        .description("pgsession operations, from submission to their end")
        .tags(tags).tag("kind", kind).tag("outcome", failure == null ? "success" : "error")
        .tag("error", errorName(failure))
        .register(registry).record(durationNanos, TimeUnit.NANOSECONDS);
    DistributionSummary.builder(PgMicrometer.ROWS)
        .description("rows reported per operation")
        .baseUnit("rows").tags(tags).tag("kind", kind)
        .register(registry).record(rows);
  }

  @Override
  public void connectFinished(ServerConnectInfo server, DatabaseConnectInfo database, Object context,
      long durationNanos, ConnectionFailureReason failure, boolean ready) {
    Timer.builder(PgMicrometer.CONNECTS)
        .description("pgsession connects, up to the first ReadyForQuery")
        .tags(tags).tag("outcome", ready ? "success" : "error")
        .tag("error", failure == null ? (ready ? "none" : "closed") : failure.getClass().getSimpleName())
        .register(registry).record(durationNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void cancelSent(ServerConnectInfo server) {
    registry.counter(PgMicrometer.CANCELS, tags).increment();
  }

  @Override
  public void poolCreated(PgPool pool) {
    Gauge.builder(PgMicrometer.POOL_SESSIONS, pool, p -> p.stats().idle())
        .description("pooled sessions").tags(tags).tag("state", "idle").register(registry);
    Gauge.builder(PgMicrometer.POOL_SESSIONS, pool, p -> p.stats().inUse())
        .description("pooled sessions").tags(tags).tag("state", "in_use").register(registry);
    Gauge.builder(PgMicrometer.POOL_WAITING, pool, p -> p.stats().waiting())
        .description("borrowers waiting for a session").tags(tags).register(registry);
    FunctionCounter.builder(PgMicrometer.POOL_CREATED, pool, p -> p.stats().created())
        .description("sessions opened by the pool").tags(tags).register(registry);
    FunctionCounter.builder(PgMicrometer.POOL_CLOSED, pool, p -> p.stats().closed())
        .description("sessions closed or found dead").tags(tags).register(registry);
    FunctionCounter.builder(PgMicrometer.POOL_TIMEOUTS, pool, p -> p.stats().acquireTimeouts())
        .description("borrowers that gave up after the acquire timeout").tags(tags).register(registry);
  }

  @Override
  public void poolAcquired(PgPool pool, long waitNanos, Throwable failure) {
    Timer.builder(PgMicrometer.POOL_ACQUIRE)
        .description("time borrowers waited for a pooled session")
        .tags(tags).tag("outcome", failure == null ? "success" : "error")
        .tag("error", failure == null ? "none"
            : failure instanceof PgException pe && pe.failure() != null ? errorName(pe.failure())
            : failure.getClass().getSimpleName())
        .register(registry).record(waitNanos, TimeUnit.NANOSECONDS);
  }

  private static String errorName(QueryFailure failure) {
    if (failure == null) {
      return "none";
    } else if (failure instanceof ErrorResponseMessage e) {
      return e.code();
    }
    return ((ClientQueryError) failure).getClass().getSimpleName();
  }
}
