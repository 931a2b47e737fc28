package org.pgsession.it.pool;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.PgPool;
import org.pgsession.PoolOptions;
import org.pgsession.PoolStats;
import org.pgsession.testkit.PgTestExtension;

/**
 * 1,000 virtual threads blocking in {@code join()} on a pool of 5. Compiled for Java 17, so virtual
 * threads are reached by reflection; runs (for real) in the JDK 25 surefire execution and is
 * skipped only on a runtime older than 21.
 */
@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class PoolVirtualThreadTest {

  @Test
  void aThousandVirtualThreadsShareAPoolOfFive() throws Exception {
    assumeTrue(Runtime.version().feature() >= 21,
        "virtual threads need JDK 21+; this runtime is " + Runtime.version() + " (the JDK 25 execution runs it)");
    ExecutorService virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
        .invoke(null);
    java.lang.reflect.Method isVirtual = Thread.class.getMethod("isVirtual");
    try (PgPool pool = PoolTestSupport.pool(PoolTestSupport.newName(), PoolOptions.defaults().withMaxSize(5)
        .withAcquireTimeout(Duration.ofMinutes(2)))) {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        int v = i;
        results.add(virtual.submit(() -> {
          if (!(Boolean) isVirtual.invoke(Thread.currentThread())) {
            throw new AssertionError("not a virtual thread");
          }
          int sum = 0;
          for (int k = 0; k < 3; k++) {
            sum += pool.query("SELECT $1::int4", v).join().get(0).getInteger(0);
          }
          return sum;
        }));
      }
      for (int i = 0; i < 1000; i++) {
        assertThat(results.get(i).get(5, TimeUnit.MINUTES)).isEqualTo(3 * i);
      }
      PoolStats st = pool.stats();
      assertThat(st.acquired()).isEqualTo(3000);
      assertThat(st.created()).isBetween(1L, 5L);
    } finally {
      virtual.shutdown();
    }
  }
}
