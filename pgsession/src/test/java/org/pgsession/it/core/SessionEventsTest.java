package org.pgsession.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.NoticeResponseMessage;
import org.pgsession.Notification;
import org.pgsession.ParameterStatus;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultReceiver;
import org.pgsession.RowModifying;
import org.pgsession.Session;
import org.pgsession.SimpleQuery;
import org.pgsession.TransactionStatus;
import org.pgsession.it.Await;
import org.pgsession.it.NotifyRecorder;
import org.pgsession.it.Sessions;

/** Asynchronous session events: transaction status, notices, notifications, parameter status. */
class SessionEventsTest extends CoreTestBase {

  @Test
  void transactionStatusFollowsTheTransaction() {
    Sessions.Open o = open();
    Session s = o.session();
    List<TransactionStatus> statuses = o.events().statuses;
    assertThat(statuses).containsExactly(TransactionStatus.IDLE);
    // A query's result callback comes before its ReadyForQuery: wait for each status.
    run(s, "BEGIN");
    awaitStatuses(statuses, 2);
    assertThat(statuses).containsExactly(TransactionStatus.IDLE, TransactionStatus.IN_BLOCK);
    assertThat(runFailing(s, new SimpleQuery("SELECT 1/0")).code()).isEqualTo("22012");
    awaitStatuses(statuses, 3);
    assertThat(statuses).containsExactly(TransactionStatus.IDLE, TransactionStatus.IN_BLOCK,
        TransactionStatus.FAILED);
    // In a failed transaction everything but ROLLBACK is refused (25P02), status stays FAILED.
    assertThat(runFailing(s, new SimpleQuery("SELECT 1")).code()).isEqualTo("25P02");
    run(s, "ROLLBACK");
    awaitStatuses(statuses, 5);
    assertThat(statuses).containsExactly(TransactionStatus.IDLE, TransactionStatus.IN_BLOCK,
        TransactionStatus.FAILED, TransactionStatus.FAILED, TransactionStatus.IDLE);
    assertStillWorks(s);
    assertThat(statuses).hasSize(6).endsWith(TransactionStatus.IDLE);
  }

  private static void awaitStatuses(List<TransactionStatus> statuses, int n) {
    Await.until(n + " statuses", () -> statuses.size() >= n);
  }

  @Test
  void transactionStatusIsReportedBeforeTheNextOperationStarts() {
    // The status of a query's ReadyForQuery arrives before the query's successor's callbacks.
    Sessions.Open o = open();
    Session s = o.session();
    List<String> log = new CopyOnWriteArrayList<>();
    class Logging implements ResultReceiver {
      final AtomicInteger callbacks = new AtomicInteger();

      @Override
      public void pgQueryResult(Session session, Result result) {
        log.add("result:" + o.events().statuses.size());
        callbacks.incrementAndGet();
      }

      @Override
      public void pgQueryFailed(Session session, Query query, QueryFailure failure) {
        log.add("failed:" + o.events().statuses.size());
        callbacks.incrementAndGet();
      }
    }
    Logging a = new Logging();
    Logging b = new Logging();
    track("BEGIN", a.callbacks::get, 1);
    track("SELECT", b.callbacks::get, 1);
    s.execute(new SimpleQuery("BEGIN"), a);
    s.execute(new SimpleQuery("SELECT 1"), b);
    Await.until("both", () -> log.size() == 2);
    assertThat(log).containsExactly("result:1", "result:2");
    Await.until("status of the SELECT", () -> o.events().statuses.size() == 3);
    assertThat(o.events().statuses).containsExactly(TransactionStatus.IDLE, TransactionStatus.IN_BLOCK,
        TransactionStatus.IN_BLOCK);
  }

  @Test
  void raiseNoticeArrivesAsNoticeBeforeTheResult() {
    Sessions.Open o = open();
    Session s = o.session();
    List<Integer> noticesAtResult = new CopyOnWriteArrayList<>();
    AtomicInteger callbacks = new AtomicInteger();
    track("DO", callbacks::get, 1);
    List<Result> results = new CopyOnWriteArrayList<>();
    SimpleQuery q = new SimpleQuery("DO $$ BEGIN RAISE NOTICE 'hello %', 42; END $$");
    s.execute(q, new ResultReceiver() {
      @Override
      public void pgQueryResult(Session session, Result result) {
        noticesAtResult.add(o.events().notices.size());
        results.add(result);
        callbacks.incrementAndGet();
      }

      @Override
      public void pgQueryFailed(Session session, Query query, QueryFailure failure) {
        callbacks.incrementAndGet();
      }
    });
    Await.until("DO done", () -> callbacks.get() > 0);
    assertThat(results).containsExactly(new RowModifying(q, "DO", 0));
    assertThat(noticesAtResult).containsExactly(1);
    NoticeResponseMessage n = o.events().notices.get(0);
    assertThat(n.message()).isEqualTo("hello 42");
    assertThat(n.severity()).isEqualTo("NOTICE");
    assertThat(n.localizedSeverity()).isEqualTo("NOTICE");
    assertThat(n.code()).isEqualTo("00000");
    assertThat(n.where()).contains("PL/pgSQL");
    assertThat(o.events().notices).hasSize(1);
  }

  @Test
  void warningFromAStatementArrivesAsNotice() {
    Sessions.Open o = open();
    run(o.session(), "ROLLBACK"); // WARNING 25P01: there is no transaction in progress
    assertThat(o.events().notices).singleElement().satisfies(n -> {
      assertThat(n.severity()).isEqualTo("WARNING");
      assertThat(n.code()).isEqualTo("25P01");
    });
  }

  @Test
  void notificationsReachAListeningIdleSession() {
    Sessions.Open a = open();
    Sessions.Open b = open();
    run(a.session(), "LISTEN chan");
    int pidB = (Integer) scalar(b.session(), "SELECT pg_backend_pid()");
    int pidA = (Integer) scalar(a.session(), "SELECT pg_backend_pid()");
    assertThat(pidB).isNotEqualTo(pidA);
    NotifyRecorder events = a.events();
    // A issues nothing from here on: the notifications arrive while it is idle.
    run(b.session(), "NOTIFY chan, 'payload'");
    Await.until("first notification", () -> events.notifications.size() >= 1);
    assertThat(events.notifications).containsExactly(new Notification("chan", "payload", pidB));
    run(b.session(), "SELECT pg_notify('chan', 'x')");
    Await.until("second notification", () -> events.notifications.size() >= 2);
    run(b.session(), "NOTIFY other_chan, 'not for A'");
    run(b.session(), "NOTIFY chan, 'last'");
    Await.until("third notification", () -> events.notifications.size() >= 3);
    assertThat(events.notifications).containsExactly(new Notification("chan", "payload", pidB),
        new Notification("chan", "x", pidB), new Notification("chan", "last", pidB));
    assertThat(b.events().notifications).isEmpty();
    assertStillWorks(a.session());
  }

  @Test
  void notificationToSelfCarriesOwnPid() {
    Sessions.Open a = open();
    run(a.session(), "LISTEN me");
    int pid = (Integer) scalar(a.session(), "SELECT pg_backend_pid()");
    run(a.session(), "NOTIFY me");
    Await.until("notification", () -> !a.events().notifications.isEmpty());
    assertThat(a.events().notifications).containsExactly(new Notification("me", "", pid));
  }

  @Test
  void startupParameterStatusIncludesServerVersionAndEncoding() {
    Sessions.Open o = open();
    List<ParameterStatus> p = o.events().parameters;
    assertThat(p).contains(new ParameterStatus("client_encoding", "UTF8"),
        new ParameterStatus("application_name", "pgsession"));
    assertThat(p).anySatisfy(ps -> {
      assertThat(ps.name()).isEqualTo("server_version");
      assertThat(ps.value()).isEqualTo(scalar(o.session(), "SHOW server_version"));
    });
  }

  @Test
  void setApplicationNameReportsParameterStatus() {
    Sessions.Open o = open();
    int before = o.events().parameters.size();
    run(o.session(), "SET application_name = 'it-test'");
    assertThat(o.events().parameters.subList(before, o.events().parameters.size()))
        .containsExactly(new ParameterStatus("application_name", "it-test"));
  }

  @Test
  void setTimeZoneReportsParameterStatus() {
    Sessions.Open o = open();
    int before = o.events().parameters.size();
    run(o.session(), "SET TimeZone = 'Asia/Kolkata'");
    assertThat(o.events().parameters.subList(before, o.events().parameters.size()))
        .containsExactly(new ParameterStatus("TimeZone", "Asia/Kolkata"));
  }

  @Test
  void serverErrorDoesNotEndTheSession() {
    Sessions.Open o = open();
    ErrorResponseMessage e = runFailing(o.session(), new SimpleQuery("SELEC 1"));
    assertThat(e.code()).isEqualTo("42601");
    assertStillWorks(o.session());
    assertThat(o.events().isShutdown()).isFalse();
  }
}
