package org.pgsession.it.future;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.pgsession.it.future.FutureSessions.await;
import static org.pgsession.it.future.FutureSessions.failure;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.ClientQueryError;
import org.pgsession.ConnectConfig;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.PgConnectException;
import org.pgsession.PgException;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultReceiver;
import org.pgsession.ResultSet;
import org.pgsession.RowModifying;
import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.SimpleQuery;
import org.pgsession.TransactionStatus;
import org.pgsession.it.Await;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgTestExtension;
import org.pgsession.testkit.TestRoles;

/** The future methods, readiness, accessors and failures of the everyday API, on a real server. */
@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class FutureApiTest {
  private final FutureSessions sessions = new FutureSessions();

  @AfterEach
  void closeAll() {
    sessions.close();
  }

  @Test
  void openCompletesWhenReadyAndTheAccessorsReportTheSession() {
    Session s = sessions.open();
    assertThat(s.isOpen()).isTrue();
    assertThat(s.transactionStatus()).isEqualTo(TransactionStatus.IDLE);
    assertThat(s.parameter("server_version")).isNotBlank();
    assertThat(s.parameter("client_encoding")).isEqualTo("UTF8");
    assertThat(s.parameter("application_name")).isEqualTo("pgsession");
    assertThat(s.parameter("no_such_parameter")).isNull();
    int pid = await(s.query("SELECT pg_backend_pid()")).get(0).getInteger(0);
    assertThat(s.backendPid()).isEqualTo(pid).isPositive();

    await(s.execute(new SimpleQuery("SET application_name = 'renamed'")));
    assertThat(s.parameter("application_name")).isEqualTo("renamed");
    await(s.update("BEGIN"));
    assertThat(s.transactionStatus()).isEqualTo(TransactionStatus.IN_BLOCK);
    assertThat(failure(s.query("SELECT 1/0"))).isInstanceOf(PgException.class);
    assertThat(s.transactionStatus()).isIn(TransactionStatus.IN_BLOCK, TransactionStatus.FAILED);
    await(s.update("ROLLBACK"));
    assertThat(s.transactionStatus()).isEqualTo(TransactionStatus.IDLE);

    await(s.closeAsync());
    assertThat(s.isOpen()).isFalse();
    PgException closed = (PgException) failure(s.query("SELECT 1"));
    assertThat(closed.failure()).isInstanceOf(ClientQueryError.SessionClosed.class);
    assertThat(closed.sqlState()).isNull();
  }

  @Test
  void openWithAWrongPasswordFailsWithTheServersReason() {
    DatabaseConnectInfo wrong = new DatabaseConnectInfo(TestRoles.SCRAM_USER, "wrong", TestRoles.DATABASE);
    Throwable t = failure(Session.open(Sessions.plain(), wrong));
    assertThat(t).isInstanceOf(PgConnectException.class);
    PgConnectException e = (PgConnectException) t;
    assertThat(e.reason()).isInstanceOf(ConnectionFailureReason.InvalidPassword.class);
    assertThat(e.sqlState()).isEqualTo("28P01");
    assertThat(e.getMessage()).contains("28P01").contains("InvalidPassword");
  }

  @Test
  void openOnAClosedPortFailsWithConnectionFailedTcp() {
    PgConnectException e = (PgConnectException) failure(Session.open(FutureSessions.nowhere(), Sessions.superuser()));
    assertThat(e.reason()).isInstanceOf(ConnectionFailureReason.ConnectionFailedTCP.class);
    assertThat(e.sqlState()).isNull();
    assertThat(e.failure()).isInstanceOf(ClientQueryError.SessionNeverOpened.class);
  }

  @Test
  void openTriesTheServersInOrderUntilOneIsReady() {
    ConnectConfig config = ConnectConfig.of(List.of(FutureSessions.nowhere(), Sessions.plain()),
        Sessions.superuser(), SessionOptions.defaults());
    Session s = await(Session.open(config));
    try {
      assertThat(await(s.query("SELECT 7")).get(0).getInteger(0)).isEqualTo(7);
    } finally {
      await(s.closeAsync());
    }

    ConnectConfig none = ConnectConfig.of(List.of(FutureSessions.nowhere(), FutureSessions.nowhere()),
        Sessions.superuser(), SessionOptions.defaults());
    PgConnectException e = (PgConnectException) failure(Session.open(none));
    assertThat(e.reason()).isInstanceOf(ConnectionFailureReason.ConnectionFailedTCP.class);
    assertThat(e.getMessage()).contains("any of 2 servers")
        .contains(":" + none.servers().get(0).port()).contains(":" + none.servers().get(1).port());
  }

  @Test
  void openParsesAConnectionString() {
    org.pgsession.ServerConnectInfo plain = Sessions.plain();
    Session s = await(Session.open("postgresql://" + TestRoles.SCRAM_USER + ":" + TestRoles.SCRAM_PASSWORD + "@"
        + plain.host() + ":" + plain.port() + "/" + TestRoles.DATABASE
        + "?sslmode=disable&application_name=from-uri&connect_timeout=30"));
    try {
      assertThat(s.parameter("application_name")).isEqualTo("from-uri");
      assertThat(await(s.query("SELECT current_user")).get(0).getString(0)).isEqualTo(TestRoles.SCRAM_USER);
    } finally {
      await(s.closeAsync());
    }
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Session.open("nonsense_key=1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nonsense_key");
  }

  @Test
  void queryReturnsRowsAndFailsWithTheSqlState() {
    Session s = sessions.open();
    Rows rows = await(s.query("SELECT g, g * $1::int4 AS twice FROM generate_series(1, 3) g", 2));
    assertThat(rows.size()).isEqualTo(3);
    assertThat(rows.get(2).getInteger("twice")).isEqualTo(6);
    Rows none = await(s.query("SET search_path = public"));
    assertThat(none.size()).isZero();
    assertThat(none.columns()).isEmpty();

    PgException e = (PgException) failure(s.query("SELECT * FROM no_such_table"));
    assertThat(e.sqlState()).isEqualTo("42P01");
    assertThat(e.failure()).isInstanceOf(ErrorResponseMessage.class);
    assertThat(e.getMessage()).contains("42P01").contains("no_such_table");
    assertThat(await(s.query("SELECT 1")).size()).as("usable after the failure").isEqualTo(1);
  }

  @Test
  void updateReturnsTheRowCountAndFailsWithTheSqlState() {
    Session s = sessions.open();
    await(s.update("CREATE TEMP TABLE t(a int4 PRIMARY KEY)"));
    assertThat(await(s.update("INSERT INTO t SELECT generate_series(1, $1::int4)", 5))).isEqualTo(5L);
    assertThat(await(s.update("DELETE FROM t WHERE a > $1", 3))).isEqualTo(2L);
    assertThat(await(s.update("SELECT * FROM t"))).isEqualTo(3L);
    PgException dup = (PgException) failure(s.update("INSERT INTO t VALUES ($1)", 1));
    assertThat(dup.sqlState()).isEqualTo("23505");
    assertThat(dup.getMessage()).contains("23505").contains("detail:");
    PgException bad = (PgException) failure(s.update("INSERT INTO t VALUES ($1)", new Object()));
    assertThat(bad.failure()).isInstanceOf(ClientQueryError.DataError.class);
    assertThat(bad.sqlState()).isNull();
  }

  @Test
  void executeReturnsEveryResultOfAMultiStatementQuery() {
    Session s = sessions.open();
    List<Result> results = await(s.execute(new SimpleQuery(
        "CREATE TEMP TABLE m(a int); INSERT INTO m VALUES (1), (2); SELECT a FROM m ORDER BY a")));
    assertThat(results).hasSize(3);
    assertThat(((RowModifying) results.get(1)).impacted()).isEqualTo(2);
    assertThat(((ResultSet) results.get(2)).rows().size()).isEqualTo(2);
    PgException e = (PgException) failure(s.execute(new SimpleQuery("SELECT 1; SELECT 1/0; SELECT 3")));
    assertThat(e.sqlState()).isEqualTo("22012");
  }

  @Test
  void prepareSucceedsAndFailsWithTheSqlState() {
    Session s = sessions.open();
    await(s.prepare("two", "SELECT $1::int4 * 2"));
    Rows rows = await(s.execute(org.pgsession.NamedPreparedQuery.of("two", 21))
        .thenApply(r -> ((ResultSet) r.get(0)).rows()));
    assertThat(rows.get(0).getInteger(0)).isEqualTo(42);
    PgException e = (PgException) failure(s.prepare("bad", "SELEC 1"));
    assertThat(e.sqlState()).isEqualTo("42601");
  }

  @Test
  void pgQueryCompleteFollowsTheLastResultOnlyWhenEverythingSucceeded() {
    Session s = sessions.open();
    Recorder ok = new Recorder();
    s.execute(new SimpleQuery("SELECT 1; SELECT 2; SELECT 3"), ok);
    Await.until("complete", () -> ok.events.contains("complete"));
    assertThat(ok.events).containsExactly("result", "result", "result", "complete");

    Recorder failing = new Recorder();
    s.execute(new SimpleQuery("SELECT 1; SELECT 1/0; SELECT 3"), failing);
    Await.until("failed", () -> failing.events.contains("failed"));
    Recorder extended = new Recorder();
    s.execute(org.pgsession.PreparedQuery.of("SELECT $1::int4", 1), extended);
    Await.until("extended complete", () -> extended.events.contains("complete"));
    assertThat(failing.events).containsExactly("result", "failed");
    assertThat(extended.events).containsExactly("result", "complete");
    Recorder extendedFailing = new Recorder();
    s.execute(org.pgsession.PreparedQuery.of("SELECT 1/$1::int4", 0), extendedFailing);
    await(s.query("SELECT 1"));
    assertThat(extendedFailing.events).containsExactly("failed");
  }

  @Test
  void joinAndGetOnTheEventLoopAreRefusedAlsoOnDerivedStages() {
    Session s = sessions.open();
    CompletableFuture<Rows> derived = s.query("SELECT 1").thenApply(r -> r);
    assertThat(derived).isInstanceOf(org.pgsession.internal.future.LoopFuture.class);
    assertThat(await(derived).size()).as("join/get on an ordinary thread work").isEqualTo(1);
    assertThat(derived.join().size()).isEqualTo(1);
    List<String> seen = new CopyOnWriteArrayList<>();
    CompletableFuture<String> probed = new CompletableFuture<>();
    // A callback of the callback API runs on the event loop for sure.
    s.execute(new SimpleQuery("SELECT 2"), new ResultReceiver() {
      @Override
      public void pgQueryResult(Session session, Result result) {
        seen.add(Thread.currentThread().getName().startsWith("pgsession-loop") ? "on loop" : "elsewhere");
        CompletableFuture<Rows> pending = s.query("SELECT 3");
        for (Runnable blocking : List.<Runnable>of(pending::join, () -> getQuietly(pending), derived::join,
            () -> getQuietly(derived.thenApply(x -> x)))) {
          try {
            blocking.run();
            seen.add("blocked");
          } catch (IllegalStateException e) {
            seen.add(e.getMessage().contains("deadlock") ? "refused" : e.getMessage());
          }
        }
        probed.complete("done");
      }

      @Override
      public void pgQueryFailed(Session session, Query query, QueryFailure failure) {
        probed.completeExceptionally(new PgException(failure));
      }
    });
    assertThat(await(probed)).isEqualTo("done");
    assertThat(seen).containsExactly("on loop", "refused", "refused", "refused", "refused");
  }

  private static void getQuietly(CompletableFuture<?> f) {
    try {
      f.get();
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      throw new AssertionError(e);
    }
  }

  /** Records the callbacks of a callback-API query. */
  private static final class Recorder implements ResultReceiver {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void pgQueryResult(Session session, Result result) {
      events.add("result");
    }

    @Override
    public void pgQueryFailed(Session session, Query query, QueryFailure failure) {
      events.add("failed");
    }

    @Override
    public void pgQueryComplete(Session session, Query query) {
      events.add("complete");
    }
  }
}
