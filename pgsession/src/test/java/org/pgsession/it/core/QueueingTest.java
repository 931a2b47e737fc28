package org.pgsession.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.pgsession.PreparedQuery;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultReceiver;
import org.pgsession.ResultSet;
import org.pgsession.Session;
import org.pgsession.SimpleQuery;
import org.pgsession.it.Await;

/** Queued operations run in call order; many sessions and threads lose nothing. */
class QueueingTest extends CoreTestBase {

  /** Expects one ResultSet with one int value; records what arrived. */
  final class ValueReceiver implements ResultReceiver {
    final int expected;
    final List<Integer> order;
    final ConcurrentLinkedQueue<String> problems;
    final AtomicInteger callbacks = new AtomicInteger();
    final AtomicInteger done;

    ValueReceiver(int expected, List<Integer> order, ConcurrentLinkedQueue<String> problems, AtomicInteger done) {
      this.expected = expected;
      this.order = order;
      this.problems = problems;
      this.done = done;
      track("query " + expected, callbacks::get, 1);
    }

    @Override
    public void pgQueryResult(Session session, Result result) {
      if (callbacks.incrementAndGet() > 1) {
        problems.add(expected + ": second callback " + result);
      }
      Object value = result instanceof ResultSet rs && rs.rows().size() == 1 ? rs.rows().get(0).get(0) : result;
      if (!Integer.valueOf(expected).equals(value)) {
        problems.add(expected + ": got " + value);
      }
      order.add(expected);
      done.incrementAndGet();
    }

    @Override
    public void pgQueryFailed(Session session, Query query, QueryFailure failure) {
      callbacks.incrementAndGet();
      problems.add(expected + ": failed " + failure);
      done.incrementAndGet();
    }
  }

  @Test
  void fiveHundredQueuedQueriesAnswerInCallOrder() {
    Session s = open().session();
    List<Integer> order = new CopyOnWriteArrayList<>();
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    AtomicInteger done = new AtomicInteger();
    List<Integer> issued = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      s.execute(new SimpleQuery("SELECT " + i), new ValueReceiver(i, order, problems, done));
      issued.add(i);
    }
    Await.until("500 answers", LONG, () -> done.get() == 500);
    assertThat(problems).isEmpty();
    assertThat(order).isEqualTo(issued);
  }

  @Test
  void queuedMixOfSimpleAndExtendedAnswersInCallOrder() {
    Session s = open().session();
    List<Integer> order = new CopyOnWriteArrayList<>();
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    AtomicInteger done = new AtomicInteger();
    List<Integer> issued = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Query q = i % 3 == 0 ? new SimpleQuery("SELECT " + i)
          : i % 3 == 1 ? PreparedQuery.of("SELECT $1::int4", i) : PreparedQuery.of("SELECT $1::int4 + 0", i);
      s.execute(q, new ValueReceiver(i, order, problems, done));
      issued.add(i);
    }
    Await.until("300 answers", LONG, () -> done.get() == 300);
    assertThat(problems).isEmpty();
    assertThat(order).isEqualTo(issued);
  }

  @Test
  void twentySessionsFourThreadsLoseNothing() throws Exception {
    int sessions = 20;
    int threads = 4;
    int perSession = 200;
    List<Session> open = new ArrayList<>();
    List<List<Integer>> orders = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      open.add(open().session());
      orders.add(new CopyOnWriteArrayList<>());
    }
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    AtomicInteger done = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread w = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        // Round-robin over this thread's sessions, so sessions interleave.
        for (int n = 0; n < perSession; n++) {
          for (int si = thread; si < sessions; si += threads) {
            int value = si * 100_000 + n;
            Query q = n % 2 == 0 ? new SimpleQuery("SELECT " + value) : PreparedQuery.of("SELECT $1::int4", value);
            open.get(si).execute(q, new ValueReceiver(value, orders.get(si), problems, done));
          }
        }
      }, "issuer-" + t);
      workers.add(w);
      w.start();
    }
    start.countDown();
    for (Thread w : workers) {
      w.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(w.isAlive()).isFalse();
    }
    int total = sessions * perSession;
    Await.until(total + " answers", LONG, () -> done.get() >= total);
    assertThat(problems).isEmpty();
    assertThat(done.get()).isEqualTo(total);
    for (int si = 0; si < sessions; si++) {
      List<Integer> expected = new ArrayList<>();
      for (int n = 0; n < perSession; n++) {
        expected.add(si * 100_000 + n);
      }
      // One thread issues to each session, so its answers come in that thread's call order.
      assertThat(orders.get(si)).as("session %d", si).isEqualTo(expected);
    }
  }
}
