package org.pgsession.scripted;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.pgsession.scripted.Scripts.WAIT;
import static org.pgsession.scripted.Scripts.assertNothingAfterShutdown;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.ClientQueryError;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultSet;
import org.pgsession.ResultReceiver;
import org.pgsession.Session;
import org.pgsession.SimpleQuery;
import org.pgsession.it.Await;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgTestExtension;

/**
 * Session lifecycle against a real PostgreSQL server: closing with queued work, the server
 * terminating the backend with work queued, {@code close()} twice and from inside a callback,
 * and a receiver that throws. Every receiver gets exactly one terminal callback, the session
 * exactly one {@code pgSessionShutdown}, all on one thread.
 */
@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class SessionLifecycleTest {

  private static final int QUEUED = 50;

  @Test
  void closeWithFiftyQueuedOperations() {
    CallbackLog log = new CallbackLog();
    Sessions.Open open = Sessions.open(Sessions.plain(), Sessions.superuser(), log);
    Session session = open.session();
    List<CallbackLog.Receiver> receivers = executeMany(session, log, QUEUED);
    session.close();
    log.awaitShutdown();
    assertNothingAfterShutdown(session, log);

    int completed = assertOneTerminalEach(receivers);
    long closed = receivers.stream().filter(r -> !r.failures.isEmpty()).count();
    assertThat(completed + closed).isEqualTo(QUEUED);
    assertThat(closed).as("close() right after queuing leaves work unfinished").isPositive();
    assertThat(log.failures).isEmpty();
  }

  @Test
  void closeFromInsideACallbackAndTwice() {
    CallbackLog log = new CallbackLog();
    Sessions.Open open = Sessions.open(Sessions.plain(), Sessions.superuser(), log);
    Session session = open.session();
    List<CallbackLog.Receiver> receivers = new ArrayList<>();
    for (int i = 0; i < QUEUED; i++) {
      CallbackLog.Receiver r;
      if (i == 10) {
        r = new ClosingReceiver(log, "q10");
      } else {
        r = log.receiver("q" + i);
      }
      receivers.add(r);
      session.execute(new SimpleQuery("SELECT pg_sleep(0.01)"), r);
    }
    log.awaitShutdown();
    session.close(); // a third close, after the shutdown
    assertNothingAfterShutdown(session, log);

    int completed = assertOneTerminalEach(receivers);
    assertThat(completed).as("q0..q10 completed before the close took effect").isGreaterThanOrEqualTo(11);
    assertThat(receivers.get(10).results).hasSize(1);
    assertThat(receivers.get(QUEUED - 1).failures).containsExactly(new ClientQueryError.SessionClosed());
    assertThat(log.failures).isEmpty();
  }

  @Test
  void backendTerminatedByAnotherSessionWithQueuedOperations() {
    CallbackLog log = new CallbackLog();
    Sessions.Open open = Sessions.open(Sessions.plain(), Sessions.superuser(), log);
    Session session = open.session();
    CallbackLog.Receiver pidReceiver = log.receiver("pid");
    session.execute(new SimpleQuery("SELECT pg_backend_pid() AS pid"), pidReceiver);
    int pid = ((ResultSet) pidReceiver.awaitResult()).rows().get(0).getInteger("pid");

    CallbackLog.Receiver sleeper = log.receiver("sleeper");
    session.execute(new SimpleQuery("SELECT pg_sleep(30)"), sleeper);
    List<CallbackLog.Receiver> queued = executeMany(session, log, 10);

    try (Sessions.Open killer = Sessions.open()) {
      CallbackLog.Receiver kill = new CallbackLog().receiver("kill");
      killer.session().execute(new SimpleQuery("SELECT pg_terminate_backend(" + pid + ")"), kill);
      kill.awaitResult();
      log.awaitShutdown();
    }
    assertNothingAfterShutdown(session, log);

    assertThat(sleeper.results).isEmpty();
    assertThat(sleeper.failures).singleElement().satisfies(SessionLifecycleTest::terminatedOrClosed);
    assertThat(queued).allSatisfy(q -> assertThat(q.failures).containsExactly(new ClientQueryError.SessionClosed()));
    assertThat(queued).allSatisfy(q -> assertThat(q.callbacks.get()).isEqualTo(1));
    assertThat(log.failures).as("terminated after ready: not a connection failure").isEmpty();
  }

  @Test
  void backendTerminatingItselfWithQueuedOperations() {
    CallbackLog log = new CallbackLog();
    Sessions.Open open = Sessions.open(Sessions.plain(), Sessions.superuser(), log);
    Session session = open.session();
    CallbackLog.Receiver suicide = log.receiver("suicide");
    List<CallbackLog.Receiver> queued;
    // The suicide waits for a lock the test holds until the ten are queued: they are submitted
    // while the session lives, so each must fail in its drain, before pgSessionShutdown.
    try (Sessions.Open holder = Sessions.open()) {
      CallbackLog.Receiver lock = new CallbackLog().receiver("lock");
      holder.session().execute(new SimpleQuery("SELECT pg_advisory_lock(4711)"), lock);
      lock.awaitResult();
      session.execute(new SimpleQuery(
          "SELECT pg_advisory_lock(4711), pg_terminate_backend(pg_backend_pid())"), suicide);
      queued = executeMany(session, log, 10);
      CallbackLog.Receiver unlock = new CallbackLog().receiver("unlock");
      holder.session().execute(new SimpleQuery("SELECT pg_advisory_unlock(4711)"), unlock);
      unlock.awaitResult();
      log.awaitShutdown();
    }
    assertNothingAfterShutdown(session, log);

    assertThat(suicide.failures).singleElement().satisfies(SessionLifecycleTest::terminatedOrClosed);
    assertThat(suicide.results).as("the backend dies before it can answer").isEmpty();
    assertThat(queued).allSatisfy(q -> assertThat(q.failures).containsExactly(new ClientQueryError.SessionClosed()));
    assertThat(queued).allSatisfy(q -> assertThat(q.callbacks.get()).isEqualTo(1));
    assertThat(log.failures).isEmpty();
  }

  @Test
  void receiverThrowingDoesNotBreakTheSession() {
    CallbackLog log = new CallbackLog();
    try (Sessions.Open open = Sessions.open(Sessions.plain(), Sessions.superuser(), log)) {
      Session session = open.session();
      AtomicInteger thrown = new AtomicInteger();
      ResultReceiver throwing = new ResultReceiver() {
        @Override
        public void pgQueryResult(Session s, Result result) {
          log.callbackThreads.add(Thread.currentThread());
          thrown.incrementAndGet();
          throw new IllegalStateException("receiver bug (expected by the test)");
        }

        @Override
        public void pgQueryFailed(Session s, Query query, QueryFailure failure) {
          log.log.add("throwing:failed:" + failure);
        }
      };
      session.execute(new SimpleQuery("SELECT 1"), throwing);
      CallbackLog.Receiver next = log.receiver("next");
      session.execute(new SimpleQuery("SELECT 2 AS two"), next);
      ResultSet rs = (ResultSet) next.awaitResult();
      assertThat(rs.rows().get(0).getInteger("two")).isEqualTo(2);
      assertThat(thrown.get()).isEqualTo(1);
      assertThat(log.isShutdown()).isFalse();
      assertThat(log.log).noneMatch(e -> e.startsWith("throwing:failed"));
    }
    assertThat(log.shutdownCount()).isEqualTo(1);
    assertThat(log.callbackThreads).hasSize(1);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static List<CallbackLog.Receiver> executeMany(Session session, CallbackLog log, int n) {
    List<CallbackLog.Receiver> receivers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      CallbackLog.Receiver r = log.receiver("q" + i);
      receivers.add(r);
      session.execute(new SimpleQuery("SELECT pg_sleep(0.01)"), r);
    }
    return receivers;
  }

  /**
   * Each single-statement query ends exactly once: one result, or one SessionClosed, never both,
   * and completions come before closures (operations run in call order).
   *
   * @return how many completed
   */
  private static int assertOneTerminalEach(List<CallbackLog.Receiver> receivers) {
    Await.until("every receiver ended", WAIT, () -> receivers.stream().allMatch(CallbackLog.Receiver::done));
    int completed = 0;
    boolean closedSeen = false;
    for (CallbackLog.Receiver r : receivers) {
      assertThat(r.callbacks.get()).as("callbacks of %s", r.name()).isEqualTo(1);
      if (r.results.size() == 1) {
        assertThat(closedSeen).as("%s completed after an earlier one was closed", r.name()).isFalse();
        completed++;
      } else {
        assertThat(r.failures).as(r.name()).containsExactly(new ClientQueryError.SessionClosed());
        closedSeen = true;
      }
    }
    return completed;
  }

  private static void terminatedOrClosed(QueryFailure failure) {
    if (failure instanceof ErrorResponseMessage e) {
      assertThat(e.code()).as("admin shutdown").isEqualTo("57P01");
    } else {
      assertThat(failure).isEqualTo(new ClientQueryError.SessionClosed());
    }
  }

  /** Closes the session (twice) from inside its own pgQueryResult. */
  private static final class ClosingReceiver extends CallbackLog.Receiver {
    ClosingReceiver(CallbackLog log, String name) {
      log.super(name);
    }

    @Override
    public void pgQueryResult(Session session, Result result) {
      super.pgQueryResult(session, result);
      session.close();
      session.close();
    }
  }
}
