package org.pgsession.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.ConnectConfig;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.PgException;
import org.pgsession.PgPool;
import org.pgsession.PoolOptions;
import org.pgsession.ExtendedQuery;
import org.pgsession.PipelineReceiver;
import org.pgsession.PreparedQuery;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.Session;
import org.pgsession.ServerConnectInfo;
import org.pgsession.SessionOptions;
import org.pgsession.testkit.PgCluster;
import org.pgsession.testkit.PgTestExtension;
import org.pgsession.testkit.TestClusters;
import org.pgsession.testkit.TestRoles;

/**
 * The OpenTelemetry observer against a real server, read back from the SDK's in-memory span
 * exporter and metric reader: database semantic convention attributes, SQLSTATE on errors,
 * parameters never in the query text, parent context, pool metrics.
 */
@ExtendWith(PgTestExtension.class)
class PgTelemetryTest {
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
      .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
      .build();

  @AfterEach
  void shutdown() {
    otel.close();
  }

  private static ConnectConfig config() {
    PgCluster c = TestClusters.plain();
    return ConnectConfig.of(List.of(ServerConnectInfo.of(c.host(), c.port()).withConnectionTimeout(Duration.ofSeconds(30))),
        new DatabaseConnectInfo(TestRoles.SCRAM_USER, TestRoles.SCRAM_PASSWORD, TestRoles.DATABASE),
        SessionOptions.defaults());
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(120, TimeUnit.SECONDS);
  }

  /** A span ends just after the operation's callback: wait for it with a deadline. */
  private SpanData span(Predicate<SpanData> matching) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      for (SpanData s : spans.getFinishedSpanItems()) {
        if (matching.test(s)) {
          return s;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no such span within 30 s in " + spans.getFinishedSpanItems());
      }
      Thread.sleep(10);
    }
  }

  /** @return the metrics, once {@code ready} holds for them (within 30 s) */
  private Collection<MetricData> collectUntil(Predicate<Collection<MetricData>> ready) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      Collection<MetricData> all = metrics.collectAllMetrics();
      if (ready.test(all)) {
        return all;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("metrics not as expected within 30 s: " + all);
      }
      Thread.sleep(10);
    }
  }

  private static Predicate<SpanData> text(String marker) {
    return s -> String.valueOf(s.getAttributes().get(TelemetryObserver.DB_QUERY_TEXT)).contains(marker);
  }

  @Test
  void spansFollowTheDatabaseConventions() throws Exception {
    PgCluster c = TestClusters.plain();
    try (PgPool pool = PgPool.create(config(), PoolOptions.defaults().withMaxSize(1)
        .withObserver(PgTelemetry.observer(otel, "orders")))) {
      Span parent = otel.getTracer("test").spanBuilder("parent").startSpan();
      try (Scope ignored = parent.makeCurrent()) {
        await(pool.withSession(s -> s.query("SELECT g FROM generate_series(1, $1::int4) g /* otel-rows */", 987654 % 7)));
      } finally {
        parent.end();
      }
      SpanData select = span(text("otel-rows"));
      assertThat(select.getName()).isEqualTo("SELECT");
      assertThat(select.getKind()).isEqualTo(SpanKind.CLIENT);
      assertThat(select.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
      assertThat(select.getAttributes().get(AttributeKey.stringKey("db.system.name"))).isEqualTo("postgresql");
      assertThat(select.getAttributes().get(AttributeKey.stringKey("db.namespace"))).isEqualTo(TestRoles.DATABASE);
      assertThat(select.getAttributes().get(AttributeKey.stringKey("db.operation.name"))).isEqualTo("SELECT");
      assertThat(select.getAttributes().get(AttributeKey.stringKey("server.address"))).isEqualTo(c.host());
      assertThat(select.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo((long) c.port());
      assertThat(select.getAttributes().get(AttributeKey.longKey("db.response.returned_rows"))).isEqualTo(987654 % 7);
      assertThat(select.getAttributes().get(AttributeKey.stringKey("db.query.text")))
          .contains("$1").doesNotContain(String.valueOf(987654 % 7) + " ").doesNotContain("987654");
      assertThat(select.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

      assertThatThrownBy(() -> await(pool.query("INSERT INTO no_such_table VALUES ($1) /* otel-fails */", "secret")))
          .hasCauseInstanceOf(PgException.class);
      SpanData failed = span(text("otel-fails"));
      assertThat(failed.getName()).isEqualTo("INSERT");
      assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(failed.getAttributes().get(AttributeKey.stringKey("db.response.status_code"))).isEqualTo("42P01");
      assertThat(failed.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("42P01");
      assertThat(failed.getAttributes().get(AttributeKey.stringKey("db.query.text"))).doesNotContain("secret");

      await(pool.withSession(s -> {
        CompletableFuture<Void> done = new CompletableFuture<>();
        s.batch(List.of(PreparedQuery.of("SELECT 1 /* otel-batch */"), PreparedQuery.of("SELECT $1::int4", 2)),
            new PipelineReceiver() {
              @Override
              public void pgPipelineResult(Session session, int index, Result result) { }

              @Override
              public void pgPipelineFailed(Session session, int index, ExtendedQuery query, QueryFailure failure) {
                done.completeExceptionally(new PgException(failure));
              }

              @Override
              public void pgPipelineComplete(Session session) {
                done.complete(null);
              }
            });
        return done;
      }));
      SpanData batch = span(text("otel-batch"));
      assertThat(batch.getName()).isEqualTo("BATCH SELECT");
      assertThat(batch.getAttributes().get(AttributeKey.longKey("db.operation.batch.size"))).isEqualTo(2);
    }
  }

  @Test
  void operationDurationAndPoolMetrics() throws Exception {
    try (PgPool pool = PgPool.create(config(), PoolOptions.defaults().withMaxSize(2)
        .withObserver(PgTelemetry.observer(otel, "metrics-pool")))) {
      await(pool.query("SELECT 1"));
      assertThatThrownBy(() -> await(pool.query("SELECT 1/0"))).hasCauseInstanceOf(PgException.class);
      // A success is recorded just after its callback (a failure just before): wait for both points.
      Collection<MetricData> all = collectUntil(m -> m.stream()
          .filter(d -> d.getName().equals("db.client.operation.duration"))
          .mapToLong(d -> d.getHistogramData().getPoints().stream().mapToLong(HistogramPointData::getCount).sum())
          .sum() >= 2);
      MetricData duration = metric(all, "db.client.operation.duration");
      assertThat(duration.getUnit()).isEqualTo("s");
      List<HistogramPointData> points = List.copyOf(duration.getHistogramData().getPoints());
      assertThat(points).anySatisfy(p -> {
        assertThat(p.getAttributes().get(AttributeKey.stringKey("db.operation.name"))).isEqualTo("SELECT");
        assertThat(p.getAttributes().get(AttributeKey.stringKey("error.type"))).isNull();
        assertThat(p.getAttributes().get(AttributeKey.stringKey("db.system.name"))).isEqualTo("postgresql");
      });
      assertThat(points).anySatisfy(p ->
          assertThat(p.getAttributes().get(AttributeKey.stringKey("db.response.status_code"))).isEqualTo("22012"));
      assertThat(points).allSatisfy(p ->
          assertThat(p.getAttributes().get(AttributeKey.stringKey("db.query.text"))).isNull());

      MetricData wait = metric(all, "db.client.connection.wait_time");
      assertThat(wait.getHistogramData().getPoints()).singleElement().satisfies(p -> {
        assertThat(p.getCount()).isEqualTo(2);
        assertThat(p.getAttributes().get(AttributeKey.stringKey("db.client.connection.pool.name")))
            .isEqualTo("metrics-pool");
      });
      long idleNow = pool.stats().idle();
      MetricData count = metric(metrics.collectAllMetrics(), "db.client.connection.count");
      List<LongPointData> states = List.copyOf(count.getLongSumData().getPoints());
      assertThat(states).anySatisfy(p -> {
        assertThat(p.getAttributes().get(AttributeKey.stringKey("db.client.connection.state"))).isEqualTo("idle");
        assertThat(p.getValue()).isEqualTo(idleNow);
      });
    }
  }

  private static MetricData metric(Collection<MetricData> all, String name) {
    return all.stream().filter(m -> m.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name + " in " + all));
  }
}
