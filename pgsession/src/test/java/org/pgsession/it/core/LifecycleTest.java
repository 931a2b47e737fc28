package org.pgsession.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.pgsession.ClientQueryError;
import org.pgsession.PreparedQuery;
import org.pgsession.QueryFailure;
import org.pgsession.ResultSet;
import org.pgsession.Session;
import org.pgsession.SimpleQuery;
import org.pgsession.it.Await;
import org.pgsession.it.NotifyRecorder;
import org.pgsession.it.ResultRecorder;
import org.pgsession.it.Sessions;

/** Operations at each stage of a session's life, against a real server. */
class LifecycleTest extends CoreTestBase {

  @Test
  void operationFromConnectedCallbackIsNotAuthenticated() {
    ResultRecorder r = recorder("execute while connecting");
    NotifyRecorder n = new NotifyRecorder() {
      @Override
      public void pgSessionConnected(Session s) {
        super.pgSessionConnected(s);
        s.execute(new SimpleQuery("SELECT 1"), r);
      }
    };
    Session s = Session.connect(Sessions.plain(), Sessions.superuser(), n);
    try {
      assertThat(r.awaitFailure()).isEqualTo(new ClientQueryError.SessionNotAuthenticated());
      Await.until("ready", n::ready);
    } finally {
      s.close();
      Await.until("shutdown", n::isShutdown);
      assertThat(n.shutdownCount()).isEqualTo(1);
    }
  }

  @Test
  void operationFromAuthenticatedCallbackRunsAfterStartup() {
    ResultRecorder r = recorder("execute from pgSessionAuthenticated");
    NotifyRecorder n = new NotifyRecorder() {
      @Override
      public void pgSessionAuthenticated(Session s) {
        super.pgSessionAuthenticated(s);
        s.execute(PreparedQuery.of("SELECT $1::int4", 5), r);
      }
    };
    Session s = Session.connect(Sessions.plain(), Sessions.superuser(), n);
    try {
      assertThat(((ResultSet) r.awaitResult()).rows().get(0).get(0)).isEqualTo(5);
    } finally {
      s.close();
      Await.until("shutdown", n::isShutdown);
      assertThat(n.shutdownCount()).isEqualTo(1);
    }
  }

  @Test
  void operationAfterCloseIsSessionClosed() {
    Sessions.Open o = open();
    o.close();
    ResultRecorder r = recorder("execute after close");
    o.session().execute(new SimpleQuery("SELECT 1"), r);
    assertThat(r.awaitFailure()).isEqualTo(new ClientQueryError.SessionClosed());
    PrepareRecorder p = prepareRecorder("prepare after close");
    o.session().prepare("x", "SELECT 1", p);
    Await.until("prepare failure", () -> p.callbacks.get() > 0);
    assertThat(p.failures).containsExactly(new ClientQueryError.SessionClosed());
    o.session().close(); // idempotent
    assertThat(o.events().shutdownCount()).isEqualTo(1);
  }

  @Test
  void closeFailsQueuedOperationsWithSessionClosedExactlyOnce() {
    Sessions.Open o = open();
    Session s = o.session();
    ResultRecorder slow = recorder("in flight");
    s.execute(new SimpleQuery("SELECT pg_sleep(30)"), slow);
    List<ResultRecorder> queued = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 20; i++) {
      ResultRecorder r = recorder("queued " + i);
      queued.add(r);
      s.execute(i % 2 == 0 ? new SimpleQuery("SELECT 1") : PreparedQuery.of("SELECT $1::int4", i), r);
    }
    s.close();
    Await.until("shutdown", o.events()::isShutdown);
    assertThat(slow.failures).containsExactly(new ClientQueryError.SessionClosed());
    for (ResultRecorder r : queued) {
      assertThat(r.failures).containsExactly(new ClientQueryError.SessionClosed());
      assertThat(r.results).isEmpty();
    }
    // Everything failed before pgSessionShutdown (it fires last).
    assertThat(o.events().events).endsWith("shutdown");
  }

  @Test
  void callbacksRunOnOneEventLoopThreadAndMayIssueOperations() {
    Sessions.Open o = open();
    Session s = o.session();
    List<String> threads = new CopyOnWriteArrayList<>();
    List<Object> values = new CopyOnWriteArrayList<>();
    ResultRecorder second = new ResultRecorder() {
      @Override
      public void pgQueryResult(Session session, org.pgsession.Result result) {
        threads.add(Thread.currentThread().getName());
        values.add(((ResultSet) result).rows().get(0).get(0));
        super.pgQueryResult(session, result);
      }
    };
    track("chained", second.callbacks::get, 1);
    ResultRecorder first = new ResultRecorder() {
      @Override
      public void pgQueryResult(Session session, org.pgsession.Result result) {
        threads.add(Thread.currentThread().getName());
        super.pgQueryResult(session, result);
        session.execute(PreparedQuery.of("SELECT $1::int4 + 1", 1), second);
      }

      @Override
      public void pgQueryFailed(Session session, org.pgsession.Query q, QueryFailure f) {
        super.pgQueryFailed(session, q, f);
      }
    };
    track("first", first.callbacks::get, 1);
    s.execute(new SimpleQuery("SELECT 1"), first);
    second.awaitResult();
    assertThat(values).containsExactly(2);
    assertThat(threads).hasSize(2);
    assertThat(threads.get(0)).isEqualTo(threads.get(1)).isNotEqualTo(Thread.currentThread().getName());
  }
}
