package org.pgsession.it.ops;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultReceiver;
import org.pgsession.ResultSet;
import org.pgsession.Session;
import org.pgsession.SimpleQuery;
import org.pgsession.it.Await;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgTestExtension;

@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class CancelTest {

  @Test
  void cancelsSleepQuicklyAndRunsTheNextQueuedQuery() {
    try (Sessions.Open o = Sessions.open(); Sessions.Open admin = Sessions.open()) {
      Session s = o.session();
      int pid = Ops.pid(s);
      Rec sleep = new Rec();
      Rec next = new Rec();
      s.execute(new SimpleQuery("SELECT pg_sleep(30)"), sleep);
      s.execute(new SimpleQuery("SELECT 7"), next);
      Ops.awaitSleeping(admin.session(), pid);
      long t0 = System.nanoTime();
      s.cancel();
      assertThat(sleep.awaitFailureCode()).isEqualTo("57014");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      next.await();
      assertThat(next.events).containsExactly("result");
      assertThat(((ResultSet) next.results.get(0)).rows().get(0).getInteger(0)).isEqualTo(7);
      assertThat(sleep.terminal.get()).isEqualTo(1);
    }
  }

  @Test
  void cancelWhenIdleDoesNothing() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      s.cancel();
      s.cancel();
      Ops.assertUsable(s);
      Ops.sql(s, "SELECT 1");
      s.cancel();
      Rec r = new Rec();
      s.execute(new SimpleQuery("SELECT pg_sleep(0.05)"), r);
      r.await();
      assertThat(r.events).containsExactly("result");
      assertThat(o.events().isShutdown()).isFalse();
    }
  }

  /**
   * A cancel issued as a query completes must never hit the next query. Odd iterations use a
   * two-statement query (second one sleeping 0-2 ms) and cancel on its first result, so the CancelRequest really is sent
   * while that query is in flight; even ones cancel on the single result of SELECT 1.
   */
  @Test
  void cancelAtCompletionNeverHitsTheNextQuery() {
    int iterations = 1000;
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      List<String> wrong = new CopyOnWriteArrayList<>();
      AtomicInteger done = new AtomicInteger();
      AtomicInteger firstCancelled = new AtomicInteger();
      var later = new ResultReceiver() {
        @Override
        public void pgQueryResult(Session ss, Result r) {
          int i = done.incrementAndGet();
          if (i < iterations) {
            startIteration(ss, i);
          }
        }

        @Override
        public void pgQueryFailed(Session ss, Query q, QueryFailure f) {
          wrong.add(Rec.code(f));
          done.set(iterations);
        }

        void startIteration(Session ss, int i) {
          boolean twoStatements = i % 2 == 1;
          // the second statement sleeps 0-2 ms so the cancel lands before, during or after its end
          Query fast = new SimpleQuery(twoStatements ? "SELECT 1; SELECT pg_sleep(0.001 * " + (i % 3) + ")" : "SELECT 1");
          ResultReceiver later = this;
          ss.execute(fast, new ResultReceiver() {
            boolean first = true;

            @Override
            public void pgQueryResult(Session s3, Result r) {
              if (first) {
                first = false;
                s3.cancel();
                s3.execute(new SimpleQuery("SELECT 3"), later);
              }
            }

            @Override
            public void pgQueryFailed(Session s3, Query q, QueryFailure f) {
              if ("57014".equals(Rec.code(f))) {
                firstCancelled.incrementAndGet(); // the cancel may legitimately hit its own query
              } else {
                wrong.add("first:" + Rec.code(f));
              }
              if (first) {
                first = false;
                s3.execute(new SimpleQuery("SELECT 3"), later);
              }
            }
          });
        }
      };
      long t0 = System.nanoTime();
      later.startIteration(s, 0);
      Await.until("iterations done: " + done.get(), Duration.ofSeconds(120), () -> done.get() >= iterations);
      assertThat(wrong).isEmpty();
      Ops.assertUsable(s);
      System.out.printf("cancel race: %d iterations in %d ms, %d first queries cancelled%n", iterations,
          (System.nanoTime() - t0) / 1_000_000, firstCancelled.get());
    }
  }
}
