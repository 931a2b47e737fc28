package org.pgsession.opentelemetry;

import io.opentelemetry.api.OpenTelemetry;
import java.util.Objects;
import org.pgsession.SessionObserver;

/**
 * OpenTelemetry tracing and metrics for pgsession, following the OpenTelemetry database
 * semantic conventions: a {@link SessionObserver} that makes a CLIENT span per operation and
 * records {@code db.client.operation.duration}, plus the connection pool metrics.
 *
 * <pre>{@code
 * SessionObserver telemetry = PgTelemetry.observer(openTelemetry);
 * PgPool pool = PgPool.create(config, PoolOptions.defaults().withObserver(telemetry));
 * }</pre>
 *
 * <p>Span and metric attributes: {@code db.system.name=postgresql}, {@code db.namespace} (the
 * database), {@code db.operation.name} (the statement's first keyword: SELECT, INSERT, COPY,
 * ...; {@code BATCH ...} for batches and pipelines), {@code server.address},
 * {@code server.port}; on spans also {@code db.query.text} (the SQL as given, with its
 * {@code $n} placeholders: bound parameter values are never included),
 * {@code db.operation.batch.size} and {@code db.response.returned_rows}. A failure sets the span
 * status to ERROR, {@code error.type} and, for a server error, {@code db.response.status_code}
 * to the SQLSTATE. The span's parent is the context current on the thread that called the
 * session method.
 *
 * <p>Pool metrics ({@code PoolOptions.withObserver}): {@code db.client.connection.count}
 * (attribute {@code db.client.connection.state}: idle, used), {@code
 * db.client.connection.pending_requests}, {@code db.client.connection.wait_time} and {@code
 * db.client.connection.timeouts}, each with {@code db.client.connection.pool.name}.
 */
public final class PgTelemetry {
  /** The instrumentation scope name of the tracer and meter. */
  public static final String INSTRUMENTATION_NAME = "org.pgsession";

  private PgTelemetry() {}

  /**
   * @param openTelemetry where spans and metrics go
   * @return an observer reporting to it; pools are named {@code pgsession}
   */
  public static SessionObserver observer(OpenTelemetry openTelemetry) {
    return observer(openTelemetry, "pgsession");
  }

  /**
   * @param openTelemetry where spans and metrics go
   * @param poolName the {@code db.client.connection.pool.name} of pools using this observer
   * @return an observer reporting to it
   */
  public static SessionObserver observer(OpenTelemetry openTelemetry, String poolName) {
    return new TelemetryObserver(Objects.requireNonNull(openTelemetry, "openTelemetry"),
        Objects.requireNonNull(poolName, "poolName"));
  }
}
