package org.pgsession.it.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.ConnectConfig;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.NamedPreparedQuery;
import org.pgsession.ObservedOperation;
import org.pgsession.OperationKind;
import org.pgsession.PgPool;
import org.pgsession.PoolOptions;
import org.pgsession.QueryFailure;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SessionObserver;
import org.pgsession.SessionOptions;
import org.pgsession.it.Await;
import org.pgsession.it.Futures;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgTestExtension;

/** The SessionObserver hooks against a real server: what each reports, and that a throwing observer changes nothing. */
@ExtendWith(PgTestExtension.class)
class SessionObserverTest {

  private record Finished(ObservedOperation op, Object context, long rows, QueryFailure failure) {}

  /** Records every hook call. */
  private static final class Recorder implements SessionObserver {
    final List<ObservedOperation> started = new CopyOnWriteArrayList<>();
    final List<Finished> finished = new CopyOnWriteArrayList<>();
    final List<Boolean> connects = new CopyOnWriteArrayList<>();

    @Override
    public Object operationStarted(ObservedOperation operation) {
      started.add(operation);
      return "ctx-" + operation.sql();
    }

    @Override
    public void operationFinished(ObservedOperation operation, Object context, long rows, long durationNanos,
        QueryFailure failure) {
      assertThat(durationNanos).isNotNegative();
      finished.add(new Finished(operation, context, rows, failure));
    }

    @Override
    public void connectFinished(ServerConnectInfo server, DatabaseConnectInfo database, Object context,
        long durationNanos, ConnectionFailureReason failure, boolean ready) {
      connects.add(ready);
    }

    Finished await(String sqlPart) {
      Await.until("finished " + sqlPart + " in " + finished,
          () -> finished.stream().anyMatch(f -> f.op().sql().contains(sqlPart)));
      return finished.stream().filter(f -> f.op().sql().contains(sqlPart)).findFirst().orElseThrow();
    }
  }

  private static ConnectConfig config(SessionOptions options) {
    return ConnectConfig.of(List.of(Sessions.plain()), Sessions.superuser(), options);
  }

  @Test
  void eachOperationIsReportedOnceWithKindSqlRowsAndFailure() {
    Recorder recorder = new Recorder();
    Session s = Futures.await(Session.open(config(SessionOptions.defaults().withObserver(recorder))));
    try {
      assertThat(recorder.connects).containsExactly(true);
      Futures.await(s.prepare("obs_named", "SELECT g FROM generate_series(1, $1::int4) g /* obs-named */"));
      Futures.await(s.execute(NamedPreparedQuery.of("obs_named", 4)));
      Futures.await(s.copyOut("COPY (SELECT 1 UNION ALL SELECT 2 /* obs-copy */) TO STDOUT",
          new ByteArrayOutputStream()));
      Futures.failure(s.query("SELECT missing_column /* obs-fails */"));

      Await.until("four operations ended", () -> recorder.finished.size() == 4);
      Finished prepare = recorder.finished.get(0);
      assertThat(prepare.op().kind()).isEqualTo(OperationKind.PREPARE);
      Finished named = recorder.finished.get(1);
      assertThat(named.op().kind()).isEqualTo(OperationKind.QUERY);
      assertThat(named.op().sql()).contains("obs-named"); // the prepared SQL, not the name
      assertThat(named.rows()).isEqualTo(4);
      assertThat(named.context()).isEqualTo("ctx-" + named.op().sql());
      Finished copy = recorder.finished.get(2);
      assertThat(copy.op().kind()).isEqualTo(OperationKind.COPY_OUT);
      assertThat(copy.rows()).isEqualTo(2);
      Finished failed = recorder.finished.get(3);
      assertThat(failed.failure()).isInstanceOfSatisfying(ErrorResponseMessage.class,
          e -> assertThat(e.code()).isEqualTo("42703"));
      assertThat(recorder.started).hasSize(4);
    } finally {
      Futures.await(s.closeAsync());
    }
  }

  @Test
  void operationsSubmittedAfterCloseAreReportedAsFailed() {
    Recorder recorder = new Recorder();
    Session s = Futures.await(Session.open(config(SessionOptions.defaults().withObserver(recorder))));
    Futures.await(s.closeAsync());
    Futures.failure(s.query("SELECT 1 /* obs-after-close */"));
    assertThat(recorder.await("obs-after-close").failure()).isNotNull();
  }

  /** Throws from every hook. */
  private static final class Throwing implements SessionObserver {
    @Override
    public Object connectStarted(ServerConnectInfo server, DatabaseConnectInfo database) {
      throw new IllegalStateException("observer bug");
    }

    @Override
    public void connectFinished(ServerConnectInfo server, DatabaseConnectInfo database, Object context,
        long durationNanos, ConnectionFailureReason failure, boolean ready) {
      throw new IllegalStateException("observer bug");
    }

    @Override
    public Object operationStarted(ObservedOperation operation) {
      throw new IllegalStateException("observer bug");
    }

    @Override
    public void operationFinished(ObservedOperation operation, Object context, long rows, long durationNanos,
        QueryFailure failure) {
      throw new IllegalStateException("observer bug");
    }

    @Override
    public void cancelSent(ServerConnectInfo server) {
      throw new IllegalStateException("observer bug");
    }

    @Override
    public void poolCreated(PgPool pool) {
      throw new IllegalStateException("observer bug");
    }

    @Override
    public void poolAcquired(PgPool pool, long waitNanos, Throwable failure) {
      throw new IllegalStateException("observer bug");
    }

    @Override
    public Runnable inCallerContext(Runnable task) {
      throw new IllegalStateException("observer bug");
    }
  }

  @Test
  void aThrowingObserverBreaksNothing() {
    try (PgPool pool = PgPool.create(config(SessionOptions.defaults()),
        PoolOptions.defaults().withMaxSize(1).withObserver(new Throwing()))) {
      assertThat(Futures.await(pool.query("SELECT 41 + $1::int4", 1)).get(0).getInteger(0)).isEqualTo(42);
      Futures.failure(pool.query("SELECT 1/0"));
      assertThat(Futures.await(pool.query("SELECT 2")).size()).isEqualTo(1);
      Futures.await(pool.withSession(s -> {
        s.cancel(); // nothing in flight: a no-op, but the hook path runs for queries below
        return s.query("SELECT 3");
      }));
    }
  }
}
