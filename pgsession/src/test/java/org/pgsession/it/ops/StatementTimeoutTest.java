package org.pgsession.it.ops;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.ClientQueryError;
import org.pgsession.PreparedQuery;
import org.pgsession.ResultSet;
import org.pgsession.Session;
import org.pgsession.SimpleQuery;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgTestExtension;

@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class StatementTimeoutTest {
  private static final Duration T = Duration.ofMillis(300);
  private static final Duration LIMIT = Duration.ofSeconds(10);

  private static long startNanos;

  private static void startClock() {
    startNanos = System.nanoTime();
  }

  private static void assertQuick() {
    assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isLessThan(LIMIT);
  }

  @Test
  void executeTimesOut() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      Rec r = new Rec();
      startClock();
      s.execute(new SimpleQuery("SELECT pg_sleep(30)"), r, T);
      assertThat(r.awaitFailureCode()).isEqualTo("57014");
      assertQuick();
      Rec p = new Rec();
      s.execute(PreparedQuery.of("SELECT pg_sleep($1::float8)", 30.0), p, T);
      assertThat(p.awaitFailureCode()).isEqualTo("57014");
      Ops.assertUsable(s);
      assertThat(r.terminal.get() + p.terminal.get()).isEqualTo(2);
    }
  }

  /** Parse blocks on the lock another session holds on a table the statement references. */
  @Test
  void prepareTimesOut() {
    try (Sessions.Open o = Sessions.open(); Sessions.Open locker = Sessions.open()) {
      Session s = o.session();
      Ops.sql(s, "CREATE TABLE IF NOT EXISTS timeout_locked(a int)");
      Ops.sql(locker.session(), "BEGIN; LOCK TABLE timeout_locked IN ACCESS EXCLUSIVE MODE");
      Ops.sql(locker.session(), "SELECT 1"); // the lock is held once this answers
      Rec r = new Rec();
      startClock();
      s.prepare("blocked", "SELECT a FROM timeout_locked", r, T);
      assertThat(r.awaitFailureCode()).isEqualTo("57014");
      assertQuick();
      Ops.sql(locker.session(), "ROLLBACK");
      Rec ok = new Rec();
      s.prepare("blocked", "SELECT a FROM timeout_locked", ok, T);
      assertThat(ok.await().events).containsExactly("prepared:blocked");
      Ops.sql(s, "DROP TABLE timeout_locked");
    }
  }

  /** The receiver stops answering pgCopyReady: the server waits for data until the timeout. */
  @Test
  void copyInTimesOut() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      Ops.sql(s, "CREATE TEMP TABLE ci(a int)");
      Rec r = new Rec() {
        @Override
        public void pgCopyReady(Session ss) {
          if (readyCalls.incrementAndGet() <= 3) {
            ss.sendCopyData("1\n2\n".getBytes());
          } // then silence
        }
      };
      startClock();
      s.copyIn("COPY ci FROM STDIN", r, T);
      assertThat(r.awaitFailureCode()).isEqualTo("57014");
      assertQuick();
      s.finishCopy(); // late answer: a no-op
      Ops.assertUsable(s);
      assertThat(Ops.sql(s, "SELECT count(*)::int4 FROM ci").rows().get(0).getInteger(0)).isZero();
      assertThat(r.terminal.get()).isEqualTo(1);

      // the same stall ended by an explicit cancel()
      Rec c = new Rec();
      s.copyIn("COPY ci FROM STDIN", c);
      org.pgsession.it.Await.until("copy ready", () -> c.readyCalls.get() == 1);
      s.cancel();
      assertThat(c.awaitFailureCode()).isEqualTo("57014");
      Ops.assertUsable(s);
    }
  }

  @Test
  void copyOutTimesOut() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      Rec r = new Rec();
      startClock();
      s.copyOut("COPY (SELECT pg_sleep(30)) TO STDOUT", r, T);
      assertThat(r.awaitFailureCode()).isEqualTo("57014");
      assertQuick();
      Ops.assertUsable(s);
      assertThat(r.terminal.get()).isEqualTo(1);
    }
  }

  @Test
  void streamTimesOut() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      Rec r = new Rec();
      startClock();
      s.stream(PreparedQuery.of("SELECT pg_sleep(30)"), 10, r, T);
      assertThat(r.awaitFailureCode()).isEqualTo("57014");
      assertQuick();
      assertThat(r.batches).isEmpty();
      Ops.assertUsable(s);
      assertThat(r.terminal.get()).isEqualTo(1);
    }
  }

  @Test
  void pipelineTimesOutOnTheSleepingIndexOnly() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      Rec r = new Rec();
      startClock();
      s.pipeline(List.of(PreparedQuery.of("SELECT 1"), PreparedQuery.of("SELECT pg_sleep(30)"),
          PreparedQuery.of("SELECT $1::int4", 3)), r, T);
      r.await();
      assertQuick();
      Ops.assertUsable(s);
      assertThat(r.events).containsExactly("ok0", "fail1:57014", "ok2", "complete");
      assertThat(((ResultSet) r.results.get(1)).rows().get(0).getInteger(0)).isEqualTo(3);
    }
  }

  /** The timer of a finished quick query must not cancel a later slow one. */
  @Test
  void staleTimerDoesNotCancelALaterQuery() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      Rec quick = new Rec();
      Rec slow = new Rec();
      s.execute(new SimpleQuery("SELECT 1"), quick, Duration.ofMillis(200));
      s.execute(new SimpleQuery("SELECT pg_sleep(1)"), slow);
      slow.await();
      assertThat(quick.events).containsExactly("result");
      assertThat(slow.events).containsExactly("result");
      // and the same with the quick query on the extended protocol, started on its own
      Rec quick2 = new Rec();
      s.execute(PreparedQuery.of("SELECT 1"), quick2, Duration.ofMillis(200));
      quick2.await();
      Rec slow2 = new Rec();
      s.execute(PreparedQuery.of("SELECT pg_sleep(1)"), slow2);
      assertThat(slow2.await().events).containsExactly("result");
    }
  }

  /**
   * The consumer holds its window: the server waits for the client and ignores CancelRequests,
   * so the driver itself ends the stream (portal closed) and the session stays usable.
   */
  @Test
  void streamWhoseConsumerHoldsAWindowTimesOut() {
    Duration timeout = Duration.ofMillis(500);
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      Rec r = new Rec(); // never calls fetchMore
      s.stream(PreparedQuery.of("SELECT g FROM generate_series(1, $1::int4) g", 1000), 10, r, timeout);
      r.await();
      assertThat(r.failures).containsExactly(new ClientQueryError.StatementTimedOut(timeout));
      assertThat(r.events).containsExactly("batch:10", "failed:StatementTimedOut");
      s.fetchMore(); // too late: a no-op
      Ops.assertUsable(s);
      assertThat(r.terminal.get()).isEqualTo(1);
      assertThat(o.events().isShutdown()).isFalse();
    }
  }
}
