package org.pgsession.examples.features;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.pgsession.PgPool;
import org.pgsession.PoolOptions;
import org.pgsession.PoolStats;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;

/** A bounded pool serving many concurrent requests over a few connections. */
public final class PoolExample implements Example {
  @Override
  public String name() {
    return "pool";
  }

  @Override
  public String summary() {
    return "PgPool: 200 concurrent queries over at most 4 sessions, transactions, stats";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    PoolOptions options = PoolOptions.defaults().withMaxSize(4).withAcquireTimeout(Duration.ofSeconds(30));
    try (PgPool pool = PgPool.create(env.config(), options)) {
      List<CompletableFuture<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        answers.add(pool.query("SELECT $1::int4 AS n", i).thenApply(rows -> rows.get(0).getInteger("n")));
      }
      long sum = 0;
      for (CompletableFuture<Integer> a : answers) {
        sum += ExampleEnv.await(a);
      }
      env.out().println("200 queries answered, sum " + sum);
      long inserted = ExampleEnv.await(pool.inTransaction(s -> s.update("CREATE TEMP TABLE pooled(n int4)")
          .thenCompose(x -> s.update("INSERT INTO pooled SELECT generate_series(1, 10)"))));
      env.out().println("inserted " + inserted + " rows in one pooled transaction");
      PoolStats stats = pool.stats();
      env.out().println("sessions created: " + stats.created() + " (max 4), acquired " + stats.acquired() + " times");
    }
  }
}
