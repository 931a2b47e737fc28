package org.pgsession.it.core;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.PrepareReceiver;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultSet;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SimpleQuery;
import org.pgsession.it.Await;
import org.pgsession.it.NotifyRecorder;
import org.pgsession.it.ResultRecorder;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgTestExtension;

/**
 * Shared bookkeeping for the session-core integration tests: every session opened through it
 * is closed after the test and must have fired {@code pgSessionShutdown} exactly once, last;
 * every receiver created through it must have had exactly the expected number of callbacks
 * (one terminal callback for a single-statement operation).
 */
@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
abstract class CoreTestBase {
  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private final List<NotifyRecorder> notifies = new CopyOnWriteArrayList<>();
  private final List<Tracked> receivers = new CopyOnWriteArrayList<>();

  private record Tracked(String what, IntSupplier callbacks, int expected) {}

  /** @return a ready superuser session on the plain cluster, closed and checked at teardown */
  Sessions.Open open() {
    return open(Sessions.plain(), Sessions.superuser());
  }

  /** @return a ready session, closed and checked at teardown */
  Sessions.Open open(ServerConnectInfo server, DatabaseConnectInfo db) {
    return open(server, db, Sessions.options());
  }

  /** @return a ready superuser session with these options, closed and checked at teardown */
  Sessions.Open open(org.pgsession.SessionOptions options) {
    return open(Sessions.plain(), Sessions.superuser(), options);
  }

  /** @return a ready session with these options, closed and checked at teardown */
  Sessions.Open open(ServerConnectInfo server, DatabaseConnectInfo db, org.pgsession.SessionOptions options) {
    NotifyRecorder notify = new NotifyRecorder();
    Session s = Session.connect(server, db, notify, org.pgsession.types.CodecRegistry.defaults(), options);
    sessions.add(s);
    notifies.add(notify);
    Await.until("session ready " + notify.events, () -> notify.ready() || notify.isShutdown());
    if (!notify.ready()) {
      throw new AssertionError("session did not become ready: " + notify.events + " " + notify.failures);
    }
    return new Sessions.Open(s, notify);
  }

  /**
   * Connects and waits until the session has shut down (a connection that must fail).
   *
   * @return its events
   */
  NotifyRecorder connectExpectingFailure(ServerConnectInfo server, DatabaseConnectInfo db) {
    NotifyRecorder notify = new NotifyRecorder();
    Session s = Session.connect(server, db, notify);
    sessions.add(s);
    notifies.add(notify);
    Await.until("session shut down " + notify.events, notify::isShutdown);
    assertThat(notify.ready()).as("became ready: %s", notify.events).isFalse();
    return notify;
  }

  /** @return a recorder that must see exactly one callback by teardown */
  ResultRecorder recorder(String what) {
    return recorder(what, 1);
  }

  /** @return a recorder that must see exactly {@code expected} callbacks by teardown */
  ResultRecorder recorder(String what, int expected) {
    ResultRecorder r = new ResultRecorder();
    receivers.add(new Tracked(what, r.callbacks::get, expected));
    return r;
  }

  /** @return a prepare recorder that must see exactly one callback by teardown */
  PrepareRecorder prepareRecorder(String what) {
    PrepareRecorder r = new PrepareRecorder();
    receivers.add(new Tracked(what, r.callbacks::get, 1));
    return r;
  }

  /** Tracks any receiver's callback counter. */
  void track(String what, IntSupplier callbacks, int expected) {
    receivers.add(new Tracked(what, callbacks, expected));
  }

  /** Runs a single-statement query and returns its one result (fails the test on a failure). */
  Result run(Session s, Query q) {
    ResultRecorder r = recorder(q.toString());
    s.execute(q, r);
    return r.awaitResult();
  }

  /** Runs a single-statement simple query. */
  Result run(Session s, String sql) {
    return run(s, new SimpleQuery(sql));
  }

  /** @return the first column of the first row of a one-row query */
  Object scalar(Session s, Query q) {
    Result r = run(s, q);
    assertThat(r).isInstanceOf(ResultSet.class);
    ResultSet rs = (ResultSet) r;
    assertThat(rs.rows().size()).as("rows of %s", q).isEqualTo(1);
    return rs.rows().get(0).get(0);
  }

  Object scalar(Session s, String sql) {
    return scalar(s, new SimpleQuery(sql));
  }

  /** Runs a query that must fail with a server error. @return that error */
  ErrorResponseMessage runFailing(Session s, Query q) {
    ResultRecorder r = recorder(q.toString());
    s.execute(q, r);
    QueryFailure f = r.awaitFailure();
    assertThat(r.results).as("results before the failure").isEmpty();
    assertThat(f).isInstanceOf(ErrorResponseMessage.class);
    return (ErrorResponseMessage) f;
  }

  /**
   * Proves the session still works and that everything queued before has finished (operations
   * run in call order).
   */
  void assertStillWorks(Session s) {
    assertThat(scalar(s, "SELECT 7 AS seven")).isEqualTo(7);
  }

  @AfterEach
  void closeAndCheckInvariants() {
    for (Session s : sessions) {
      s.close();
    }
    for (NotifyRecorder n : notifies) {
      Await.until("shutdown " + n.events, n::isShutdown);
    }
    List<String> problems = new ArrayList<>();
    for (NotifyRecorder n : notifies) {
      if (n.shutdownCount() != 1) {
        problems.add("pgSessionShutdown fired " + n.shutdownCount() + " times: " + n.events);
      }
      if (!"shutdown".equals(n.events.get(n.events.size() - 1))) {
        problems.add("pgSessionShutdown was not last: " + n.events);
      }
    }
    for (Tracked t : receivers) {
      int got = t.callbacks().getAsInt();
      if (got != t.expected()) {
        problems.add(t.what() + ": " + got + " callbacks, expected " + t.expected());
      }
    }
    assertThat(problems).as("teardown invariants").isEmpty();
  }

  /** Records a prepare's outcome. */
  static final class PrepareRecorder implements PrepareReceiver {
    final List<String> prepared = new CopyOnWriteArrayList<>();
    final List<QueryFailure> failures = new CopyOnWriteArrayList<>();
    final AtomicInteger callbacks = new AtomicInteger();

    @Override
    public void pgStatementPrepared(Session session, String name) {
      prepared.add(name);
      callbacks.incrementAndGet();
    }

    @Override
    public void pgPrepareFailed(Session session, String name, QueryFailure failure) {
      failures.add(failure);
      callbacks.incrementAndGet();
    }

    void awaitPrepared() {
      Await.until("prepared", () -> callbacks.get() > 0);
      assertThat(failures).as("prepare failures").isEmpty();
    }

    ErrorResponseMessage awaitServerFailure() {
      Await.until("prepare failure", () -> callbacks.get() > 0);
      assertThat(prepared).as("prepared").isEmpty();
      assertThat(failures.get(0)).isInstanceOf(ErrorResponseMessage.class);
      return (ErrorResponseMessage) failures.get(0);
    }
  }

  static final Duration LONG = Duration.ofSeconds(60);
}
