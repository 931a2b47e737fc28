package org.pgsession.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultReceiver;
import org.pgsession.Session;

/**
 * Records results and failures of one execute. "Terminal" = a failure, or (after the session
 * tells us via ReadyForQuery-driven completion) the last result; tests that need the terminal
 * moment of a multi-statement success wait for the expected number of results.
 */
public class ResultRecorder implements ResultReceiver {
  public final List<Result> results = new CopyOnWriteArrayList<>();
  public final List<QueryFailure> failures = new CopyOnWriteArrayList<>();
  public final AtomicInteger callbacks = new AtomicInteger();

  @Override
  public void pgQueryResult(Session session, Result result) {
    results.add(result);
    callbacks.incrementAndGet();
  }

  @Override
  public void pgQueryFailed(Session session, Query query, QueryFailure failure) {
    failures.add(failure);
    callbacks.incrementAndGet();
  }

  /** @param n expected results (no failure) @return this, once n results arrived or any failure */
  public ResultRecorder awaitResults(int n) {
    Await.until("results: " + n, () -> results.size() >= n || !failures.isEmpty());
    return this;
  }

  /** @return the single failure, once it arrived */
  public QueryFailure awaitFailure() {
    Await.until("a failure", () -> !failures.isEmpty());
    return failures.get(0);
  }

  /** @return the first result, once it arrived (fails the test on a failure) */
  public Result awaitResult() {
    Await.until("a result", () -> !results.isEmpty() || !failures.isEmpty());
    if (!failures.isEmpty()) {
      throw new AssertionError("query failed: " + failures.get(0));
    }
    return results.get(0);
  }
}
