package org.pgsession.internal.future;

import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.pgsession.PgException;
import org.pgsession.Result;
import org.pgsession.RowModifying;
import org.pgsession.Session;
import org.pgsession.SimpleQuery;

/**
 * {@code inTransaction}: BEGIN, the work, COMMIT; when the work fails (or throws, or returns
 * null) ROLLBACK, and the work's own failure is reported (a ROLLBACK failure is only attached as
 * suppressed).
 */
public final class Transactions {
  private static final SimpleQuery BEGIN = new SimpleQuery("BEGIN");
  private static final SimpleQuery COMMIT = new SimpleQuery("COMMIT");
  private static final SimpleQuery ROLLBACK = new SimpleQuery("ROLLBACK");

  private Transactions() {}

  /**
   * @param <T> the work's value
   * @param session the session
   * @param work the work, given the session
   * @return completes with the work's value after COMMIT
   */
  public static <T> LoopFuture<T> run(Session session, Function<Session, ? extends CompletionStage<T>> work) {
    Objects.requireNonNull(work, "work");
    LoopFuture<T> result = new LoopFuture<>();
    session.execute(BEGIN).whenComplete((begun, beginFailure) -> {
      if (beginFailure != null) {
        result.completeExceptionally(unwrap(beginFailure));
        return;
      }
      CompletionStage<T> stage;
      try {
        stage = Objects.requireNonNull(work.apply(session), "the transaction's work returned null");
      } catch (Throwable thrown) {
        rollback(session, thrown, result);
        return;
      }
      stage.whenComplete((value, workFailure) -> {
        if (workFailure != null) {
          rollback(session, unwrap(workFailure), result);
        } else {
          commit(session, value, result);
        }
      });
    });
    return result;
  }

  private static <T> void commit(Session session, T value, LoopFuture<T> result) {
    session.execute(COMMIT).whenComplete((results, commitFailure) -> {
      if (commitFailure != null) {
        result.completeExceptionally(unwrap(commitFailure));
      } else if (rolledBack(results)) {
        // COMMIT of a failed transaction block: the work swallowed an error; nothing was committed.
        result.completeExceptionally(new PgException("the transaction was rolled back at COMMIT: a statement"
            + " of the work failed and the work completed anyway", null, null));
      } else {
        result.complete(value);
      }
    });
  }

  private static boolean rolledBack(java.util.List<Result> results) {
    return !results.isEmpty() && results.get(0) instanceof RowModifying rm && "ROLLBACK".equals(rm.command());
  }

  private static <T> void rollback(Session session, Throwable cause, LoopFuture<T> result) {
    session.execute(ROLLBACK).whenComplete((ignored, rollbackFailure) -> {
      if (rollbackFailure != null && rollbackFailure != cause) {
        cause.addSuppressed(unwrap(rollbackFailure));
      }
      result.completeExceptionally(cause);
    });
  }

  /**
   * @param t a failure as a stage reports it
   * @return the failure inside a CompletionException/ExecutionException wrapper
   */
  public static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
