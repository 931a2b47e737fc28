package org.pgsession.it.future;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.pgsession.it.future.FutureSessions.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.PgException;
import org.pgsession.PreparedQuery;
import org.pgsession.Row;
import org.pgsession.Session;
import org.pgsession.it.Await;
import org.pgsession.testkit.PgTestExtension;

/** {@code Session.stream(query, window)} as a Flow.Publisher: demand, cancel, errors, rule checks. */
@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class StreamPublisherTest {
  private final FutureSessions sessions = new FutureSessions();

  @AfterEach
  void closeAll() {
    sessions.close();
  }

  /** A subscriber that only requests when the test tells it to; records every signal. */
  static class Probe implements Flow.Subscriber<Row> {
    final List<Object> values = new CopyOnWriteArrayList<>();
    final List<String> terminal = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    final AtomicReference<Throwable> error = new AtomicReference<>();

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription.set(s);
    }

    @Override
    public void onNext(Row item) {
      threads.add(Thread.currentThread().getName());
      values.add(item.get(0));
    }

    @Override
    public void onError(Throwable t) {
      error.set(t);
      terminal.add("error");
    }

    @Override
    public void onComplete() {
      terminal.add("complete");
    }

    Flow.Subscription awaitSubscription() {
      Await.until("onSubscribe", () -> subscription.get() != null);
      return subscription.get();
    }
  }

  /** Rows produced by the server so far: nextval() runs once per row the portal actually fetched. */
  private static long produced(Session admin, String seq) {
    return await(admin.query("SELECT last_value FROM " + seq)).get(0).getLong(0);
  }

  @Test
  void fetchesWindowsOnlyAsDemandNeedsThem() {
    Session s = sessions.open();
    Session admin = sessions.open();
    await(admin.update("CREATE SEQUENCE IF NOT EXISTS demand_seq"));
    await(admin.query("SELECT setval('demand_seq', 1, false)"));
    Probe probe = new Probe();
    s.stream(PreparedQuery.of("SELECT nextval('demand_seq') FROM generate_series(1, 1000)"), 10).subscribe(probe);
    Flow.Subscription sub = probe.awaitSubscription();
    assertThat(probe.values).isEmpty();

    sub.request(5);
    Await.until("5 rows", () -> probe.values.size() == 5);
    assertThat(produced(admin, "demand_seq")).as("one window for a demand of 5").isEqualTo(10);

    sub.request(10);
    Await.until("15 rows", () -> probe.values.size() == 15);
    assertThat(produced(admin, "demand_seq")).as("the second window only once the first was used up")
        .isEqualTo(20);
    assertThat(probe.values.size()).isEqualTo(15);
    assertThat(probe.terminal).isEmpty();

    sub.request(Long.MAX_VALUE);
    Await.until("complete", () -> probe.terminal.contains("complete"));
    assertThat(probe.values).hasSize(1000).first().isEqualTo(1L);
    assertThat(probe.values.get(999)).isEqualTo(1000L);
    assertThat(probe.threads).allMatch(t -> t.startsWith("pgsession-loop"));
    await(admin.update("DROP SEQUENCE demand_seq"));
  }

  @Test
  void slowSubscriberOnAnotherThreadGetsEveryRowInOrder() {
    Session s = sessions.open();
    Probe probe = new Probe();
    s.stream(PreparedQuery.of("SELECT g FROM generate_series(1, $1::int4) g", 2000), 64).subscribe(probe);
    Flow.Subscription sub = probe.awaitSubscription();
    for (int i = 1; i <= 2000; i += 7) {
      int want = Math.min(2000, i + 6);
      sub.request(7);
      Await.until("row " + want, () -> probe.values.size() >= want);
      assertThat(probe.values.size()).as("never more than requested").isEqualTo(want);
    }
    sub.request(1); // demand left open: completion needs none
    Await.until("complete", () -> probe.terminal.contains("complete"));
    for (int i = 0; i < 2000; i++) {
      assertThat(probe.values.get(i)).isEqualTo(i + 1);
    }
    assertThat(probe.terminal).containsExactly("complete");
  }

  @Test
  void cancelClosesTheStreamAndStopsTheSignals() {
    Session s = sessions.open();
    Session admin = sessions.open();
    await(admin.update("CREATE SEQUENCE IF NOT EXISTS cancel_seq"));
    await(admin.query("SELECT setval('cancel_seq', 1, false)"));
    Probe probe = new Probe() {
      @Override
      public void onNext(Row item) {
        super.onNext(item);
        if (values.size() == 25) {
          subscription.get().cancel();
        }
      }
    };
    s.stream(PreparedQuery.of("SELECT nextval('cancel_seq') FROM generate_series(1, 1000000)"), 100)
        .subscribe(probe);
    probe.awaitSubscription().request(Long.MAX_VALUE);
    // The session runs operations in order: this query answers only after the stream has ended.
    assertThat(await(s.query("SELECT 42")).get(0).getInteger(0)).isEqualTo(42);
    assertThat(probe.values).hasSize(25);
    assertThat(probe.terminal).isEmpty();
    assertThat(produced(admin, "cancel_seq")).as("no window fetched after cancel").isEqualTo(100);
    probe.subscription.get().request(10); // no-op after cancel
    assertThat(await(s.query("SELECT 1")).size()).isEqualTo(1);
    assertThat(probe.values).hasSize(25);
    await(admin.update("DROP SEQUENCE cancel_seq"));
  }

  @Test
  void aCancelBeforeTheStreamStartedEndsItWithoutRows() {
    Session s = sessions.open();
    Probe probe = new Probe();
    s.execute(new org.pgsession.SimpleQuery("SELECT pg_sleep(0.2)")); // the stream queues behind it
    s.stream(PreparedQuery.of("SELECT g FROM generate_series(1, 100000) g"), 10).subscribe(probe);
    Flow.Subscription sub = probe.awaitSubscription();
    sub.request(1000);
    sub.cancel();
    assertThat(await(s.query("SELECT 42")).get(0).getInteger(0)).isEqualTo(42);
    assertThat(probe.values).isEmpty();
    assertThat(probe.terminal).isEmpty();
  }

  @Test
  void aServerErrorMidStreamIsOnErrorWithPgException() {
    Session s = sessions.open();
    Probe probe = new Probe();
    s.stream(PreparedQuery.of("SELECT 100 / (50 - g) FROM generate_series(1, 100) g"), 10).subscribe(probe);
    probe.awaitSubscription().request(Long.MAX_VALUE);
    Await.until("error", () -> !probe.terminal.isEmpty());
    assertThat(probe.terminal).containsExactly("error");
    assertThat(probe.error.get()).isInstanceOf(PgException.class);
    assertThat(((PgException) probe.error.get()).sqlState()).isEqualTo("22012");
    assertThat(probe.values).hasSizeLessThan(50);
    assertThat(await(s.query("SELECT 1")).size()).isEqualTo(1);
  }

  @Test
  void aSecondSubscriberAndANonPositiveRequestGetOnError() {
    Session s = sessions.open();
    Flow.Publisher<Row> pub = s.stream(PreparedQuery.of("SELECT g FROM generate_series(1, 100) g"), 10);
    Probe first = new Probe();
    Probe second = new Probe();
    pub.subscribe(first);
    pub.subscribe(second);
    Await.until("second refused", () -> !second.terminal.isEmpty());
    assertThat(second.subscription.get()).as("onSubscribe before onError (§1.9)").isNotNull();
    assertThat(second.error.get()).isInstanceOf(IllegalStateException.class);

    Flow.Subscription sub = first.awaitSubscription();
    sub.request(3);
    Await.until("3 rows", () -> first.values.size() == 3);
    sub.request(0);
    Await.until("§3.9 error", () -> !first.terminal.isEmpty());
    assertThat(first.error.get()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3.9");
    sub.request(5);
    assertThat(await(s.query("SELECT 1")).size()).as("the stream was closed").isEqualTo(1);
    assertThat(first.values).hasSize(3);
    assertThat(first.terminal).containsExactly("error");
  }

  @Test
  void anEmptyResultCompletes() {
    Session s = sessions.open();
    Probe probe = new Probe();
    s.stream(PreparedQuery.of("SELECT 1 WHERE false"), 10).subscribe(probe);
    probe.awaitSubscription().request(1);
    Await.until("complete", () -> !probe.terminal.isEmpty());
    assertThat(probe.terminal).containsExactly("complete");
    assertThat(probe.values).isEmpty();
  }
}
