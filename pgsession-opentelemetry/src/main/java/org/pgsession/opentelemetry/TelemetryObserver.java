package org.pgsession.opentelemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.util.List;
import org.pgsession.ClientQueryError;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.ObservedOperation;
import org.pgsession.PgException;
import org.pgsession.PgPool;
import org.pgsession.QueryFailure;
import org.pgsession.SessionObserver;

/** The observer behind {@link PgTelemetry}. */
final class TelemetryObserver implements SessionObserver {
  static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
  static final AttributeKey<String> DB_NAMESPACE = AttributeKey.stringKey("db.namespace");
  static final AttributeKey<String> DB_OPERATION_NAME = AttributeKey.stringKey("db.operation.name");
  static final AttributeKey<String> DB_QUERY_TEXT = AttributeKey.stringKey("db.query.text");
  static final AttributeKey<Long> DB_BATCH_SIZE = AttributeKey.longKey("db.operation.batch.size");
  static final AttributeKey<Long> DB_RETURNED_ROWS = AttributeKey.longKey("db.response.returned_rows");
  static final AttributeKey<String> DB_STATUS_CODE = AttributeKey.stringKey("db.response.status_code");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> POOL_NAME = AttributeKey.stringKey("db.client.connection.pool.name");
  static final AttributeKey<String> CONNECTION_STATE = AttributeKey.stringKey("db.client.connection.state");

  /** Bucket boundaries the semantic conventions recommend for db.client.operation.duration. */
  private static final List<Double> DURATION_BUCKETS = List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0);

  private final Tracer tracer;
  private final Meter meter;
  private final DoubleHistogram operationDuration;
  private final DoubleHistogram connectionWait;
  private final LongCounter connectionTimeouts;
  private final Attributes poolAttributes;

  TelemetryObserver(OpenTelemetry openTelemetry, String poolName) {
    this.tracer = openTelemetry.getTracer(PgTelemetry.INSTRUMENTATION_NAME);
    this.meter = openTelemetry.getMeter(PgTelemetry.INSTRUMENTATION_NAME);
    this.operationDuration = meter.histogramBuilder("db.client.operation.duration")
        .setDescription("Duration of database client operations.").setUnit("s")
        .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
    this.connectionWait = meter.histogramBuilder("db.client.connection.wait_time")
        .setDescription("The time it took to obtain an open connection from the pool.").setUnit("s").build();
    this.connectionTimeouts = meter.counterBuilder("db.client.connection.timeouts")
        .setDescription("The number of connection timeouts that have occurred trying to obtain a connection from the pool.")
        .setUnit("{timeout}").build();
    this.poolAttributes = Attributes.of(POOL_NAME, poolName);
  }

  @Override
  public Object operationStarted(ObservedOperation op) {
    String operationName = OperationNames.of(op);
    Span span = tracer.spanBuilder(operationName != null ? operationName : "postgresql")
        .setSpanKind(SpanKind.CLIENT)
        .setAllAttributes(common(op, operationName).build())
        .setAttribute(DB_QUERY_TEXT, op.sql())
        .startSpan();
    if (op.statements() > 1) {
      span.setAttribute(DB_BATCH_SIZE, op.statements());
    }
    return new Started(span, operationName);
  }

  private record Started(Span span, String operationName) {}

  @Override
  public void operationFinished(ObservedOperation op, Object context, long rows, long durationNanos,
      QueryFailure failure) {
    Started started = (Started) context;
    AttributesBuilder metric = common(op, started.operationName());
    Span span = started.span();
    span.setAttribute(DB_RETURNED_ROWS, rows);
    if (failure != null) {
      String errorType = errorType(failure);
      span.setStatus(StatusCode.ERROR, describe(failure));
      span.setAttribute(ERROR_TYPE, errorType);
      metric.put(ERROR_TYPE, errorType);
      if (failure instanceof ErrorResponseMessage e) {
        span.setAttribute(DB_STATUS_CODE, e.code());
        metric.put(DB_STATUS_CODE, e.code());
      }
    }
    span.end();
    operationDuration.record(durationNanos / 1e9, metric.build());
  }

  private static AttributesBuilder common(ObservedOperation op, String operationName) {
    AttributesBuilder b = Attributes.builder()
        .put(DB_SYSTEM_NAME, "postgresql")
        .put(DB_NAMESPACE, op.database().database())
        .put(SERVER_ADDRESS, op.server().host())
        .put(SERVER_PORT, (long) op.server().port());
    if (operationName != null) {
      b.put(DB_OPERATION_NAME, operationName);
    }
    return b;
  }

  /** error.type: the SQLSTATE for a server error, else the client error's name. */
  private static String errorType(QueryFailure failure) {
    return failure instanceof ErrorResponseMessage e ? e.code() : ((ClientQueryError) failure).getClass().getSimpleName();
  }

  private static String describe(QueryFailure failure) {
    return failure instanceof ErrorResponseMessage e ? e.message() : failure.toString();
  }

  @Override
  public Runnable inCallerContext(Runnable task) {
    return io.opentelemetry.context.Context.current().wrap(task);
  }

  @Override
  public void poolCreated(PgPool pool) {
    Attributes idle = poolAttributes.toBuilder().put(CONNECTION_STATE, "idle").build();
    Attributes used = poolAttributes.toBuilder().put(CONNECTION_STATE, "used").build();
    // The callbacks hold the pool weakly, so a forgotten pool can be collected.
    java.lang.ref.WeakReference<PgPool> ref = new java.lang.ref.WeakReference<>(pool);
    meter.upDownCounterBuilder("db.client.connection.count")
        .setDescription("The number of connections that are currently in state described by the state attribute.")
        .setUnit("{connection}")
        .buildWithCallback(m -> {
          PgPool p = ref.get();
          if (p != null) {
            m.record(p.stats().idle(), idle);
            m.record(p.stats().inUse(), used);
          }
        });
    meter.upDownCounterBuilder("db.client.connection.pending_requests")
        .setDescription("The number of current pending requests for an open connection.")
        .setUnit("{request}")
        .buildWithCallback(m -> {
          PgPool p = ref.get();
          if (p != null) {
            m.record(p.stats().waiting(), poolAttributes);
          }
        });
  }

  @Override
  public void poolAcquired(PgPool pool, long waitNanos, Throwable failure) {
    connectionWait.record(waitNanos / 1e9, poolAttributes);
    if (failure instanceof PgException e && e.failure() instanceof ClientQueryError.PoolTimedOut) {
      connectionTimeouts.add(1, poolAttributes);
    }
  }
}
