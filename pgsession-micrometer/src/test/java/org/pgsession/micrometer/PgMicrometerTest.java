package org.pgsession.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.ConnectConfig;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.PgPool;
import org.pgsession.PoolOptions;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.testkit.PgCluster;
import org.pgsession.testkit.PgTestExtension;
import org.pgsession.testkit.TestClusters;
import org.pgsession.testkit.TestRoles;

/** The Micrometer observer against a real server, read back from a {@link SimpleMeterRegistry}. */
@ExtendWith(PgTestExtension.class)
class PgMicrometerTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private static ConnectConfig config(SessionOptions options) {
    PgCluster c = TestClusters.plain();
    return ConnectConfig.of(List.of(ServerConnectInfo.of(c.host(), c.port()).withConnectionTimeout(Duration.ofSeconds(30))),
        new DatabaseConnectInfo(TestRoles.SCRAM_USER, TestRoles.SCRAM_PASSWORD, TestRoles.DATABASE), options);
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(120, TimeUnit.SECONDS);
  }

  /** Success meters are recorded just after the callback: wait for them with a deadline. */
  private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s: " + what);
      }
      Thread.sleep(10);
    }
  }

  private Timer operations(String kind, String outcome, String error) {
    return registry.find(PgMicrometer.OPERATIONS).tags("kind", kind, "outcome", outcome, "error", error).timer();
  }

  private double rowsTotal(String kind) {
    DistributionSummary s = registry.find(PgMicrometer.ROWS).tags("kind", kind).summary();
    return s == null ? -1 : s.totalAmount();
  }

  private long rowsCount(String kind) {
    DistributionSummary s = registry.find(PgMicrometer.ROWS).tags("kind", kind).summary();
    return s == null ? -1 : s.count();
  }

  @Test
  void poolGaugesAcquireTimerAndQueryTimersByKind() throws Exception {
    PoolOptions options = PoolOptions.defaults().withMaxSize(2)
        .withObserver(PgMicrometer.observer(registry, Tags.of("pool", "test")));
    try (PgPool pool = PgPool.create(config(SessionOptions.defaults()), options)) {
      for (int i = 0; i < 3; i++) {
        assertThat(await(pool.query("SELECT g FROM generate_series(1, 5) g")).size()).isEqualTo(5);
      }
      assertThatThrownBy(() -> await(pool.query("SELECT 1/0"))).hasCauseInstanceOf(org.pgsession.PgException.class);
      long moved = await(pool.withSession(s -> s.update("CREATE TEMP TABLE m (v int4)")
          .thenCompose(n -> s.copyIn("COPY m FROM STDIN",
              new ByteArrayInputStream("1\n2\n".getBytes(StandardCharsets.US_ASCII))))));
      assertThat(moved).isEqualTo(2);

      eventually("3 successful queries", () -> {
        Timer t = operations("query", "success", "none");
        return t != null && t.count() >= 4; // the three SELECTs and the CREATE TABLE
      });
      Timer failed = operations("query", "error", "22012");
      assertThat(failed).isNotNull();
      assertThat(failed.count()).isEqualTo(1);
      assertThat(failed.getId().getTag("pool")).isEqualTo("test");
      // The observer records the timer, then the rows summary: wait for the summary itself.
      eventually("the copy's rows", () -> rowsTotal("copy_in") == 2);
      assertThat(operations("copy_in", "success", "none").count()).isEqualTo(1);
      eventually("the queries' rows", () -> rowsCount("query") >= 5); // 3 SELECTs, CREATE, 1/0
      assertThat(registry.find(PgMicrometer.ROWS).tags("kind", "query").summary().max()).isEqualTo(5);

      Timer acquire = registry.find(PgMicrometer.POOL_ACQUIRE).tags("outcome", "success").timer();
      assertThat(acquire).isNotNull();
      assertThat(acquire.count()).isEqualTo(5);
      eventually("connect timer", () -> {
        Timer t = registry.find(PgMicrometer.CONNECTS).tags("outcome", "success").timer();
        return t != null && t.count() >= 1;
      });

      eventually("the session back in the pool", () -> pool.stats().inUse() == 0);
      assertThat(registry.find(PgMicrometer.POOL_SESSIONS).tags("state", "in_use").gauge().value()).isZero();
      assertThat(registry.find(PgMicrometer.POOL_SESSIONS).tags("state", "idle").gauge().value())
          .isEqualTo(pool.stats().idle()).isPositive();
      assertThat(registry.find(PgMicrometer.POOL_CREATED).functionCounter().count())
          .isEqualTo(pool.stats().created());
    }
  }

  @Test
  void sessionObserverCountsCancelsAndFailedConnects() throws Exception {
    SessionOptions options = SessionOptions.defaults().withObserver(PgMicrometer.observer(registry));
    Session s = await(Session.open(config(options)));
    try {
      CompletableFuture<?> sleeping = s.query("SELECT pg_sleep(60)");
      eventually("the sleep is cancelled", () -> {
        s.cancel(); // a no-op until the query is in flight
        return sleeping.isDone();
      });
      assertThatThrownBy(() -> await(sleeping)).hasCauseInstanceOf(org.pgsession.PgException.class);
      assertThat(registry.find(PgMicrometer.CANCELS).counter().count()).isPositive();
      assertThat(operations("query", "error", "57014").count()).isEqualTo(1);
    } finally {
      await(s.closeAsync());
    }
    ConnectConfig refused = ConnectConfig.of(List.of(ServerConnectInfo.of("127.0.0.1", closedPort())),
        new DatabaseConnectInfo("nobody", "x", "nothing"), options);
    assertThatThrownBy(() -> await(Session.open(refused)));
    Timer failedConnect = registry.find(PgMicrometer.CONNECTS).tags("outcome", "error").timer();
    assertThat(failedConnect).isNotNull();
    assertThat(failedConnect.getId().getTag("error")).isEqualTo("ConnectionFailedTCP");
  }

  private static int closedPort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
