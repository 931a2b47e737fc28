package org.pgsession.it.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.ConnectConfig;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.PgException;
import org.pgsession.PgPool;
import org.pgsession.PoolOptions;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.it.Await;
import org.pgsession.it.Futures;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgTestExtension;

/**
 * The JFR events of the driver, recorded with a {@link RecordingStream} against a real server:
 * connect, queries (rows, SQLSTATE, SQL cut at 1 KiB, parameter values never in it), COPY,
 * cancel and pool acquire.
 */
@ExtendWith(PgTestExtension.class)
class JfrEventsTest {
  private final List<RecordedEvent> events = new CopyOnWriteArrayList<>();
  private RecordingStream stream;

  @BeforeEach
  void record() {
    stream = new RecordingStream();
    for (String name : List.of("Connect", "Query", "Copy", "Cancel", "PoolAcquire")) {
      stream.enable("org.pgsession." + name).withThreshold(java.time.Duration.ZERO);
    }
    stream.onEvent(events::add);
    stream.startAsync();
  }

  @AfterEach
  void stop() {
    stream.close();
  }

  private static ConnectConfig config() {
    return ConnectConfig.of(List.of(Sessions.plain()), Sessions.superuser(), SessionOptions.defaults());
  }

  private RecordedEvent await(String name, Predicate<RecordedEvent> matching) {
    Await.until(name + " event in " + events, () -> events.stream()
        .anyMatch(e -> e.getEventType().getName().equals(name) && matching.test(e)));
    return events.stream().filter(e -> e.getEventType().getName().equals(name) && matching.test(e))
        .findFirst().orElseThrow();
  }

  @Test
  void connectQueriesAndFailuresAreRecordedWithoutParameters() {
    Session s = Futures.await(Session.open(config()));
    try {
      RecordedEvent connect = await("org.pgsession.Connect", e -> e.getBoolean("ready"));
      assertThat(connect.getString("server")).isEqualTo(Sessions.plain().host() + ":" + Sessions.plain().port());
      assertThat(connect.getString("database")).isEqualTo(Sessions.superuser().database());
      assertThat(connect.getString("failure")).isNull();

      Futures.await(s.query("SELECT g FROM generate_series(1, $1::int4) g /* jfr-rows */", 4242));
      RecordedEvent rows = await("org.pgsession.Query", e -> e.getString("sql").contains("jfr-rows"));
      assertThat(rows.getLong("rows")).isEqualTo(4242);
      assertThat(rows.getString("kind")).isEqualTo("QUERY");
      assertThat(rows.getString("sql")).doesNotContain("4242").contains("$1");
      assertThat(rows.getString("sqlState")).isNull();
      assertThat(rows.getDuration().isNegative()).isFalse();

      Throwable failed = Futures.failure(s.query("SELECT 1/0 /* jfr-fails */"));
      assertThat(failed).isInstanceOf(PgException.class);
      RecordedEvent fails = await("org.pgsession.Query", e -> e.getString("sql").contains("jfr-fails"));
      assertThat(fails.getString("sqlState")).isEqualTo("22012");
      assertThat(fails.getLong("rows")).isZero();

      String longSql = "SELECT 1 /* jfr-long " + "x".repeat(2048) + " */";
      Futures.await(s.query(longSql));
      RecordedEvent cut = await("org.pgsession.Query", e -> e.getString("sql").contains("jfr-long"));
      assertThat(cut.getString("sql")).hasSize(1024).isEqualTo(longSql.substring(0, 1024));
    } finally {
      Futures.await(s.closeAsync());
    }
  }

  @Test
  void copyAndCancelAreRecorded() {
    Session s = Futures.await(Session.open(config()));
    try {
      Futures.await(s.update("CREATE TEMP TABLE jfr_copy (v int4)"));
      long copied = Futures.await(s.copyIn("COPY jfr_copy FROM STDIN",
          new ByteArrayInputStream("1\n2\n3\n".getBytes(StandardCharsets.US_ASCII))));
      assertThat(copied).isEqualTo(3);
      RecordedEvent copy = await("org.pgsession.Copy", e -> e.getString("sql").contains("jfr_copy"));
      assertThat(copy.getString("direction")).isEqualTo("IN");
      assertThat(copy.getLong("rows")).isEqualTo(3);

      CompletableFuture<?> sleeping = s.query("SELECT pg_sleep(60) /* jfr-cancel */");
      // cancel() is a no-op until the query is in flight: repeat until it ends the query
      Await.until("the sleep is cancelled", () -> {
        s.cancel();
        return sleeping.isDone() || pause();
      });
      Throwable cancelled = Futures.failure(sleeping);
      assertThat(((PgException) cancelled).failure()).isInstanceOfSatisfying(ErrorResponseMessage.class,
          e -> assertThat(e.code()).isEqualTo("57014"));
      await("org.pgsession.Cancel", e -> e.getInt("backendPid") > 0);
      RecordedEvent query = await("org.pgsession.Query", e -> e.getString("sql").contains("jfr-cancel"));
      assertThat(query.getString("sqlState")).isEqualTo("57014");
    } finally {
      Futures.await(s.closeAsync());
    }
  }

  private static boolean pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  @Test
  void poolAcquireIsRecorded() {
    try (PgPool pool = PgPool.create(config(), PoolOptions.defaults().withMaxSize(1))) {
      assertThat(Futures.await(pool.query("SELECT 7 /* jfr-pool */")).size()).isEqualTo(1);
      RecordedEvent acquire = await("org.pgsession.PoolAcquire", e -> e.getBoolean("acquired"));
      assertThat(acquire.getString("failure")).isNull();
      assertThat(acquire.getInt("inUse")).isEqualTo(1);
      await("org.pgsession.Query", e -> e.getString("sql").contains("jfr-pool"));
    }
  }

  @Test
  void failedConnectIsRecorded() {
    ConnectConfig nowhere = ConnectConfig.of(List.of(org.pgsession.ServerConnectInfo.of("127.0.0.1", closedPort())
        .withConnectionTimeout(java.time.Duration.ofSeconds(10))), Sessions.superuser(), SessionOptions.defaults());
    assertThat(Futures.failure(Session.open(nowhere))).isNotNull();
    RecordedEvent failed = await("org.pgsession.Connect", e -> !e.getBoolean("ready"));
    assertThat(failed.getString("failure")).contains("ConnectionFailedTCP");
  }

  private static int closedPort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
