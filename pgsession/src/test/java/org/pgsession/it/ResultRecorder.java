package org.pgsession.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultReceiver;
import org.pgsession.Session;
import org.pgsession.invariants.Checked;
import org.pgsession.invariants.RecorderCheck;

/**
 * Records results and failures of one execute. "Terminal" = a failure, or (after the session
 * tells us via ReadyForQuery-driven completion) the last result; tests that need the terminal
 * moment of a multi-statement success wait for the expected number of results.
 *
 * <p>Checked at the end of the test by {@link RecorderCheck}: exactly one terminal callback
 * ({@code pgQueryComplete} or {@code pgQueryFailed}) and nothing after it.
 */
public class ResultRecorder implements ResultReceiver, Checked {
  public final List<Result> results = new CopyOnWriteArrayList<>();
  public final List<QueryFailure> failures = new CopyOnWriteArrayList<>();
  public final AtomicInteger callbacks = new AtomicInteger();
  private final AtomicInteger terminals = new AtomicInteger();
  private final List<String> problems = new CopyOnWriteArrayList<>();

  /** A receiver checked by {@link RecorderCheck} at the end of the test that made it. */
  public ResultRecorder() {
    RecorderCheck.register(this);
  }

  private void saw(String event, boolean terminal) {
    if (terminals.get() > 0) {
      problems.add(event + " after the terminal callback (results " + results + ", failures " + failures + ")");
    }
    if (terminal) {
      terminals.incrementAndGet();
    }
  }

  @Override
  public void pgQueryResult(Session session, Result result) {
    saw("result", false);
    results.add(result);
    callbacks.incrementAndGet();
  }

  @Override
  public void pgQueryFailed(Session session, Query query, QueryFailure failure) {
    saw("failed " + failure, true);
    failures.add(failure);
    callbacks.incrementAndGet();
  }

  @Override
  public void pgQueryComplete(Session session, Query query) {
    saw("complete", true);
  }

  @Override
  public boolean settled() {
    return terminals.get() > 0;
  }

  @Override
  public List<String> violations() {
    List<String> out = new java.util.ArrayList<>(problems);
    if (terminals.get() != 1) {
      out.add(getClass().getSimpleName() + ": " + terminals.get() + " terminal callbacks (results " + results
          + ", failures " + failures + ")");
    }
    return out;
  }

  @Override
  public Session session() {
    return null;
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
