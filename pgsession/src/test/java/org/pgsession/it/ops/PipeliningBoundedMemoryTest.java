package org.pgsession.it.ops;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.ClientQueryError;
import org.pgsession.PreparedQuery;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultReceiver;
import org.pgsession.ResultSet;
import org.pgsession.Session;
import org.pgsession.internal.session.SessionProbe;
import org.pgsession.it.Await;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgTestExtension;

/**
 * Runs with -Xmx256m (surefire execution {@code bounded-memory}): a million executes queued at
 * once with pipelining on. The first hundred thousand are answered in order, with the bytes
 * written but not yet answered never above the window's bound; then the session is closed and
 * every other one fails exactly once.
 */
@Tag("bounded-memory")
@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class PipeliningBoundedMemoryTest {

  @Test
  void aMillionQueuedExecutes() {
    assertThat(Runtime.getRuntime().maxMemory() >> 20).as("run with -Xmx256m").isLessThanOrEqualTo(300);
    int n = 1_000_000;
    int answeredBeforeClose = 100_000;
    PreparedQuery q = PreparedQuery.of("SELECT $1::int4 + 1", 41);
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    AtomicLong sum = new AtomicLong();
    ResultReceiver r = new ResultReceiver() {
      @Override
      public void pgQueryResult(Session ss, Result result) {
        sum.addAndGet(((ResultSet) result).rows().get(0).getInteger(0));
        if (closed.get() > 0) {
          other.incrementAndGet(); // a result after a SessionClosed: out of order
        }
        ok.incrementAndGet();
      }

      @Override
      public void pgQueryFailed(Session ss, Query query, QueryFailure f) {
        (f instanceof ClientQueryError.SessionClosed ? closed : other).incrementAndGet();
      }
    };
    long most;
    Sessions.Open o = PipeliningTest.open(true);
    try {
      Session s = o.session();
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        s.execute(q, r);
      }
      Await.until("the first results", Duration.ofSeconds(300), () -> ok.get() >= answeredBeforeClose);
      most = SessionProbe.mostUnansweredBytes(s);
      System.out.printf("pipelined executes: %d answered in %d ms, at most %d bytes unanswered%n", ok.get(),
          (System.nanoTime() - t0) / 1_000_000, most);
    } finally {
      // Shutdown fails every one of the ~900,000 still queued: under a heavily loaded CI machine
      // that took longer than the 30 s default wait (a liveness bound here, not a timing goal).
      o.session().close();
      Await.until("shutdown", Duration.ofSeconds(180), o.events()::isShutdown);
    }
    Await.until("every callback", Duration.ofSeconds(120), () -> ok.get() + closed.get() + other.get() >= n);
    assertThat(other.get()).isZero();
    assertThat(ok.get() + closed.get()).isEqualTo(n);
    assertThat(sum.get()).isEqualTo(42L * ok.get());
    assertThat(most).isGreaterThan(10_000).isLessThanOrEqualTo(SessionProbe.maxUnansweredBytes() + 1024);
  }
}
