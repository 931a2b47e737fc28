package org.pgsession.internal.future;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.pgsession.PgException;
import org.pgsession.PrepareReceiver;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultReceiver;
import org.pgsession.ResultSet;
import org.pgsession.RowModifying;
import org.pgsession.Rows;
import org.pgsession.Session;

/**
 * A {@link ResultReceiver} that collects every result and completes its future at
 * {@code pgQueryComplete} (so at ReadyForQuery: the session's transaction status is current
 * when the future completes), or fails it with a {@link PgException} at {@code pgQueryFailed}.
 *
 * @param <T> what the results are turned into
 */
public final class ResultFuture<T> implements ResultReceiver {
  private static final Rows NO_ROWS = new Rows(List.of(), List.of());

  private final List<Result> results = new ArrayList<>(1);
  private final Function<List<Result>, T> finish;
  private final LoopFuture<T> future = new LoopFuture<>();

  private ResultFuture(Function<List<Result>, T> finish) {
    this.finish = finish;
  }

  /** @return a receiver whose future gets every result, in order */
  public static ResultFuture<List<Result>> all() {
    return new ResultFuture<>(List::copyOf);
  }

  /** @return a receiver whose future gets the rows of the (last) result set, or no rows */
  public static ResultFuture<Rows> rows() {
    return new ResultFuture<>(ResultFuture::lastRows);
  }

  /** @return a receiver whose future gets the number of rows affected (or returned) */
  public static ResultFuture<Long> count() {
    return new ResultFuture<>(ResultFuture::lastCount);
  }

  /** @return the future */
  public LoopFuture<T> future() {
    return future;
  }

  @Override
  public void pgQueryResult(Session session, Result result) {
    results.add(result);
  }

  @Override
  public void pgQueryComplete(Session session, Query query) {
    try {
      future.complete(finish.apply(results));
    } catch (RuntimeException e) {
      future.completeExceptionally(e);
    }
  }

  @Override
  public void pgQueryFailed(Session session, Query query, QueryFailure failure) {
    future.completeExceptionally(new PgException(failure));
  }

  private static Rows lastRows(List<Result> results) {
    for (int i = results.size() - 1; i >= 0; i--) {
      if (results.get(i) instanceof ResultSet rs) {
        return rs.rows();
      }
    }
    return NO_ROWS;
  }

  private static Long lastCount(List<Result> results) {
    if (results.isEmpty()) {
      return 0L;
    }
    Result last = results.get(results.size() - 1);
    if (last instanceof RowModifying rm) {
      return rm.impacted();
    }
    if (last instanceof ResultSet rs) {
      return (long) rs.rows().size();
    }
    return 0L;
  }

  /** A {@link PrepareReceiver} completing a future. */
  public static final class Prepare implements PrepareReceiver {
    private final LoopFuture<Void> future = new LoopFuture<>();

    /** @return the future */
    public LoopFuture<Void> future() {
      return future;
    }

    @Override
    public void pgStatementPrepared(Session session, String name) {
      future.complete(null);
    }

    @Override
    public void pgPrepareFailed(Session session, String name, QueryFailure failure) {
      future.completeExceptionally(new PgException(failure));
    }
  }
}
