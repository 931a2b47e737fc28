package org.pgsession.it.pool;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.pgsession.it.pool.PoolTestSupport.await;
import static org.pgsession.it.pool.PoolTestSupport.failure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.ClientQueryError;
import org.pgsession.ConnectConfig;
import org.pgsession.PgConnectException;
import org.pgsession.PgException;
import org.pgsession.PgPool;
import org.pgsession.PoolOptions;
import org.pgsession.PoolStats;
import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.SimpleQuery;
import org.pgsession.TransactionStatus;
import org.pgsession.it.Await;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgTestExtension;

/** PgPool against a real server: load, fairness, timeouts, healing, rollback on return, eviction, close. */
@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class PoolTest {

  @Test
  void fiftyThreadsTwoHundredQueriesEachOnAPoolOfFiveLoseNothing() throws Exception {
    String name = PoolTestSupport.newName();
    Set<Integer> pids = ConcurrentHashMap.newKeySet();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    AtomicLong ok = new AtomicLong();
    try (PgPool pool = PoolTestSupport.pool(name, PoolOptions.defaults().withMaxSize(5)
        .withAcquireTimeout(Duration.ofMinutes(2)))) {
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 50; t++) {
        int thread = t;
        threads.add(new Thread(() -> {
          for (int i = 0; i < 200; i++) {
            int v = thread * 1000 + i;
            try {
              Rows r = pool.query("SELECT $1::int4, pg_backend_pid()", v).join();
              if (r.get(0).getInteger(0) != v) {
                errors.add(new AssertionError("wrong row for " + v));
              }
              pids.add(r.get(0).getInteger(1));
              ok.incrementAndGet();
            } catch (Throwable e) {
              errors.add(e);
            }
          }
        }, "pool-load-" + t));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join(300_000);
        assertThat(t.isAlive()).as(t.getName() + " finished").isFalse();
      }
      assertThat(errors).isEmpty();
      assertThat(ok.get()).isEqualTo(10_000);
      assertThat(pids).hasSizeBetween(1, 5);
      Await.until("all returned", () -> pool.stats().inUse() == 0);
      PoolStats st = pool.stats();
      assertThat(st.acquired()).isEqualTo(10_000);
      assertThat(st.created()).isBetween(1L, 5L);
      assertThat(st.total()).isBetween(1, 5);
      assertThat(st.waiting()).isZero();
      assertThat(st.acquireTimeouts()).isZero();
    }
  }

  @Test
  void waitingBorrowersAreServedInFifoOrder() {
    try (PgPool pool = PoolTestSupport.pool(PoolTestSupport.newName(), PoolOptions.defaults().withMaxSize(1))) {
      CompletableFuture<Void> hold = new CompletableFuture<>();
      CompletableFuture<Void> holder = pool.withSession(s -> hold);
      Await.until("holder borrowed", () -> pool.stats().inUse() == 1 && pool.stats().waiting() == 0);
      List<Integer> order = new CopyOnWriteArrayList<>();
      List<CompletableFuture<Integer>> all = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        int index = i;
        all.add(pool.withSession(s -> s.query("SELECT 1").thenApply(r -> {
          order.add(index);
          return index;
        })));
      }
      assertThat(pool.stats().waiting()).isEqualTo(20);
      hold.complete(null);
      await(holder);
      all.forEach(PoolTestSupport::await);
      assertThat(order).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).boxed().toList());
      assertThat(pool.stats().created()).isEqualTo(1);
    }
  }

  @Test
  void aBorrowerGivesUpAfterTheAcquireTimeout() {
    try (PgPool pool = PoolTestSupport.pool(PoolTestSupport.newName(), PoolOptions.defaults().withMaxSize(1)
        .withAcquireTimeout(Duration.ofMillis(300)))) {
      CompletableFuture<Void> hold = new CompletableFuture<>();
      CompletableFuture<Void> holder = pool.withSession(s -> hold);
      Await.until("holder borrowed", () -> pool.stats().inUse() == 1);
      Throwable t = failure(pool.query("SELECT 1"));
      assertThat(t).isInstanceOf(PgException.class).hasMessageContaining("pool timed out");
      assertThat(((PgException) t).failure()).isEqualTo(new ClientQueryError.PoolTimedOut(Duration.ofMillis(300)));
      assertThat(pool.stats().acquireTimeouts()).isEqualTo(1);
      assertThat(pool.stats().waiting()).isZero();
      hold.complete(null);
      await(holder);
      assertThat(await(pool.query("SELECT 5")).get(0).getInteger(0)).isEqualTo(5);
    }
  }

  @Test
  void idleSessionsTerminatedByTheServerAreReplacedWithoutFailingABorrower() {
    String name = PoolTestSupport.newName();
    Session admin = PoolTestSupport.admin();
    try (PgPool pool = PoolTestSupport.pool(name, PoolOptions.defaults().withMaxSize(5).withMinIdle(5))) {
      Await.until("5 idle sessions", () -> pool.stats().idle() == 5);
      Await.until("5 backends", () -> PoolTestSupport.backends(admin, name) == 5);
      assertThat(PoolTestSupport.terminateAll(admin, name)).isEqualTo(5);
      Await.until("the pool noticed", () -> pool.stats().closed() >= 5);
      for (int i = 0; i < 100; i++) {
        assertThat(await(pool.query("SELECT $1::int4", i)).get(0).getInteger(0)).isEqualTo(i);
      }
      assertThat(pool.stats().created()).isGreaterThanOrEqualTo(6);
      Await.until("min idle restored", () -> pool.stats().idle() == 5);
    } finally {
      await(admin.closeAsync());
    }
  }

  @Test
  void terminatingEveryBackendUnderLoadFailsAtMostTheBorrowersInFlight() throws Exception {
    String name = PoolTestSupport.newName();
    Session admin = PoolTestSupport.admin();
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    List<Throwable> unexpected = new CopyOnWriteArrayList<>();
    try (PgPool pool = PoolTestSupport.pool(name, PoolOptions.defaults().withMaxSize(5))) {
      List<Thread> threads = new ArrayList<>();
      AtomicInteger phase = new AtomicInteger(); // 0 before, 1 terminated, 2 stop
      for (int t = 0; t < 8; t++) {
        threads.add(new Thread(() -> {
          while (phase.get() < 2) {
            try {
              pool.query("SELECT pg_sleep(0.005), 1").join();
              done.incrementAndGet();
            } catch (java.util.concurrent.CompletionException e) {
              if (e.getCause() instanceof PgException) {
                failures.incrementAndGet();
              } else {
                unexpected.add(e);
              }
            }
          }
        }));
      }
      threads.forEach(Thread::start);
      Await.until("load running on 5 sessions", () -> done.get() > 200 && pool.stats().total() == 5);
      long killed = PoolTestSupport.terminateAll(admin, name);
      assertThat(killed).isEqualTo(5);
      Await.until("the pool healed", () -> pool.stats().closed() >= 5);
      int afterHeal = done.get();
      Await.until("load continues", () -> done.get() > afterHeal + 200);
      phase.set(2);
      for (Thread t : threads) {
        t.join(60_000);
      }
      assertThat(unexpected).isEmpty();
      assertThat(failures.get()).as("only borrowers of the 5 terminated sessions fail").isLessThanOrEqualTo(5);
      assertThat(pool.stats().created()).isGreaterThanOrEqualTo(6);
    } finally {
      await(admin.closeAsync());
    }
  }

  @Test
  void aSessionReturnedInsideATransactionBlockIsRolledBack() {
    String name = PoolTestSupport.newName();
    Session admin = PoolTestSupport.admin();
    String table = "pool_rollback_" + name.replace('-', '_');
    await(admin.update("CREATE TABLE " + table + "(a int4)"));
    try (PgPool pool = PoolTestSupport.pool(name, PoolOptions.defaults().withMaxSize(1))) {
      int pid = await(pool.withSession(s -> s.update("BEGIN")
          .thenCompose(n -> s.update("INSERT INTO " + table + " VALUES (1)"))
          .thenApply(n -> {
            if (s.transactionStatus() != TransactionStatus.IN_BLOCK) {
              throw new AssertionError("not in a block: " + s.transactionStatus());
            }
            return s.backendPid();
          })));
      Object[] seen = await(pool.withSession(s -> s.query("SELECT count(*) FROM " + table)
          .thenApply(r -> new Object[] {s.backendPid(), s.transactionStatus(), r.get(0).getLong(0)})));
      assertThat(seen).containsExactly(pid, TransactionStatus.IDLE, 0L);

      Throwable t = failure(pool.withSession(s -> s.execute(new SimpleQuery("BEGIN; SELECT 1/0"))));
      assertThat(((PgException) t).sqlState()).isEqualTo("22012");
      Object[] after = await(pool.withSession(s -> s.query("SELECT 1")
          .thenApply(r -> new Object[] {s.backendPid(), s.transactionStatus()})));
      assertThat(after).containsExactly(pid, TransactionStatus.IDLE);
      assertThat(pool.stats().created()).isEqualTo(1);
    } finally {
      await(admin.update("DROP TABLE " + table));
      await(admin.closeAsync());
    }
  }

  @Test
  void sessionsPastTheirLifetimeAreReplaced() {
    String name = PoolTestSupport.newName();
    // One session at most: with two, a query could get a second session while the first is still
    // on its way back, and a new pid would prove nothing about the lifetime.
    try (PgPool pool = PoolTestSupport.pool(name, PoolOptions.defaults().withMaxSize(1)
        .withMaxLifetime(Duration.ofMillis(700)))) {
      int first = await(pool.query("SELECT pg_backend_pid()")).get(0).getInteger(0);
      Await.until("a new backend after the lifetime",
          () -> await(pool.query("SELECT pg_backend_pid()")).get(0).getInteger(0) != first);
      assertThat(pool.stats().closed()).isGreaterThanOrEqualTo(1);
      assertThat(pool.stats().created()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void idleSessionsBeyondMinIdleAreClosedAfterTheIdleTimeout() {
    String name = PoolTestSupport.newName();
    Session admin = PoolTestSupport.admin();
    try (PgPool pool = PoolTestSupport.pool(name, PoolOptions.defaults().withMaxSize(4).withMinIdle(1)
        .withIdleTimeout(Duration.ofMillis(400)))) {
      List<CompletableFuture<Rows>> burst = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        burst.add(pool.query("SELECT pg_sleep(0.3)"));
      }
      burst.forEach(PoolTestSupport::await);
      assertThat(pool.stats().created()).isEqualTo(4);
      Await.until("down to min idle", () -> pool.stats().total() == 1 && pool.stats().idle() == 1);
      Await.until("backends closed", () -> PoolTestSupport.backends(admin, name) == 1);
      assertThat(pool.stats().closed()).isEqualTo(3);
    } finally {
      await(admin.closeAsync());
    }
  }

  @Test
  void closeLetsBorrowedSessionsFinishThenClosesEverything() {
    String name = PoolTestSupport.newName();
    Session admin = PoolTestSupport.admin();
    try {
      PgPool pool = PoolTestSupport.pool(name, PoolOptions.defaults().withMaxSize(1));
      CompletableFuture<Integer> work = pool.withSession(s -> s.query("SELECT pg_sleep(0.5)")
          .thenCompose(r -> s.query("SELECT 7")).thenApply(r -> r.get(0).getInteger(0)));
      Await.until("borrowed", () -> pool.stats().inUse() == 1);
      CompletableFuture<Rows> waiting = pool.query("SELECT 1");
      Await.until("queued", () -> pool.stats().waiting() == 1);
      CompletableFuture<Void> closed = pool.closeAsync();
      assertThat(((PgException) failure(waiting)).failure()).isInstanceOf(ClientQueryError.PoolClosed.class);
      assertThat(await(work)).as("work in flight is not cut off").isEqualTo(7);
      await(closed);
      assertThat(pool.stats().total()).isZero();
      Await.until("backends closed", () -> PoolTestSupport.backends(admin, name) == 0);
      assertThat(((PgException) failure(pool.query("SELECT 1"))).failure())
          .isInstanceOf(ClientQueryError.PoolClosed.class);
      pool.close(); // idempotent
    } finally {
      await(admin.closeAsync());
    }
  }

  @Test
  void inTransactionCommitsOnABorrowedSession() {
    String name = PoolTestSupport.newName();
    try (PgPool pool = PoolTestSupport.pool(name, PoolOptions.defaults().withMaxSize(2))) {
      String table = "pool_tx_" + name.replace('-', '_');
      await(pool.update("CREATE TABLE " + table + "(a int4)"));
      try {
        long inserted = await(pool.<Long>inTransaction(s -> s.update("INSERT INTO " + table + " VALUES (1), (2)")));
        assertThat(inserted).isEqualTo(2);
        assertThat(failure(pool.inTransaction(s -> s.update("INSERT INTO " + table + " VALUES (3)")
            .thenCompose(n -> s.update("INSERT INTO nope VALUES (1)"))))).isInstanceOf(PgException.class);
        assertThat(await(pool.query("SELECT count(*) FROM " + table)).get(0).getLong(0)).isEqualTo(2);
      } finally {
        await(pool.update("DROP TABLE " + table));
      }
    }
  }

  @Test
  void aSessionClosedByTheWorkIsReplacedAndAThrowingWorkReturnsItsSession() {
    try (PgPool pool = PoolTestSupport.pool(PoolTestSupport.newName(), PoolOptions.defaults().withMaxSize(1))) {
      int first = await(pool.withSession(s -> {
        int pid = s.backendPid();
        s.close();
        return CompletableFuture.completedFuture(pid);
      }));
      int second = await(pool.query("SELECT pg_backend_pid()")).get(0).getInteger(0);
      assertThat(second).isNotEqualTo(first);
      assertThat(pool.stats().created()).isEqualTo(2);
      assertThat(pool.stats().closed()).isEqualTo(1);

      IllegalStateException boom = new IllegalStateException("boom");
      assertThat(failure(pool.withSession(s -> {
        throw boom;
      }))).isSameAs(boom);
      assertThat(await(pool.query("SELECT pg_backend_pid()")).get(0).getInteger(0)).isEqualTo(second);
      assertThat(pool.stats().created()).isEqualTo(2);
    }
  }

  @Test
  void aPoolFromAConnectionStringServesQueries() {
    org.pgsession.ServerConnectInfo plain = Sessions.plain();
    String name = PoolTestSupport.newName();
    try (PgPool pool = PgPool.create("host=" + plain.host() + " port=" + plain.port() + " user="
        + org.pgsession.testkit.TestRoles.SCRAM_USER + " password=" + org.pgsession.testkit.TestRoles.SCRAM_PASSWORD
        + " dbname=" + org.pgsession.testkit.TestRoles.DATABASE + " sslmode=disable application_name=" + name)) {
      assertThat(await(pool.query("SELECT current_setting('application_name')")).get(0).getString(0))
          .isEqualTo(name);
      assertThat(pool.stats().created()).isEqualTo(1);
    }
  }

  @Test
  void joinOnTheEventLoopIsRefusedForPoolFuturesToo() {
    try (PgPool pool = PoolTestSupport.pool(PoolTestSupport.newName(), PoolOptions.defaults().withMaxSize(2))) {
      String outcome = await(pool.withSession(s -> {
        try {
          pool.query("SELECT 1").join();
          return CompletableFuture.completedFuture("blocked");
        } catch (IllegalStateException e) {
          return CompletableFuture.completedFuture("refused");
        }
      }));
      assertThat(outcome).isEqualTo("refused");
    }
  }

  @Test
  void aServerThatCannotBeReachedFailsTheBorrowerWithTheConnectionFailure() {
    java.net.ServerSocket probe;
    int port;
    try {
      probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
      port = probe.getLocalPort();
      probe.close();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    ConnectConfig nowhere = ConnectConfig.of(List.of(org.pgsession.ServerConnectInfo.of("127.0.0.1", port)),
        Sessions.superuser(), SessionOptions.defaults());
    try (PgPool pool = PgPool.create(nowhere, PoolOptions.defaults().withMaxSize(2))) {
      Throwable t = failure(pool.query("SELECT 1"));
      assertThat(t).isInstanceOf(PgConnectException.class);
      assertThat(pool.stats().total()).isZero();
      assertThat(pool.stats().waiting()).isZero();
    }
  }
}
