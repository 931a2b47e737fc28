package org.pgsession.examples.features;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.pgsession.PreparedQuery;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultReceiver;
import org.pgsession.Session;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;

/** A statement timeout: the driver cancels the statement when the time is up. */
public final class StatementTimeoutExample implements Example {
  @Override
  public String name() {
    return "statement-timeout";
  }

  @Override
  public String summary() {
    return "per-operation statement timeout (cancelled after 200 ms)";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    try (Session session = env.open()) {
      CompletableFuture<QueryFailure> outcome = new CompletableFuture<>();
      long start = System.nanoTime();
      session.execute(PreparedQuery.of("SELECT pg_sleep(10)"), new ResultReceiver() {
        @Override
        public void pgQueryResult(Session s, Result result) {
          outcome.completeExceptionally(new IllegalStateException("the sleep was not cut short"));
        }

        @Override
        public void pgQueryFailed(Session s, Query query, QueryFailure failure) {
          outcome.complete(failure);
        }
      }, Duration.ofMillis(200));
      QueryFailure failure = ExampleEnv.await(outcome);
      long ms = (System.nanoTime() - start) / 1_000_000;
      String code = failure instanceof org.pgsession.ErrorResponseMessage e ? e.code() : failure.toString();
      env.out().println("timed out with " + code + (ms < 10_000 ? " well before the 10 s sleep ended" : ""));
    }
  }
}
