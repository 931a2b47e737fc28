package org.pgsession.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.ExtendedQuery;
import org.pgsession.PipelineReceiver;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultReceiver;
import org.pgsession.ResultSet;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.SessionStatusNotify;
import org.pgsession.SimpleQuery;
import org.pgsession.TransactionStatus;
import org.pgsession.types.CodecRegistry;

/**
 * pgsession plumbing for the benchmarks: a ready-future connect, an awaitable close, untimed SQL,
 * and the adapter that runs an atomic batch.
 */
final class PgSessions {
  /** Whether {@link #batch} still stands in with a pipeline (reported in PERFORMANCE.md). */
  static final boolean BATCH_IS_PIPELINE = true;

  private PgSessions() {
  }

  /** A session that is ready (first ReadyForQuery seen) and a future of its shutdown. */
  record Open(Session session, CompletableFuture<Void> shutdown) {
    /** Closes and waits until the session has shut down. */
    void closeAndWait() throws Exception {
      session.close();
      Await.await(shutdown);
    }
  }

  /**
   * Connects and completes when the session is ready for queries.
   *
   * @param conf the server
   * @param options session options
   * @return the ready session
   */
  static CompletableFuture<Open> open(Conf conf, SessionOptions options) {
    CompletableFuture<Open> ready = new CompletableFuture<>();
    CompletableFuture<Void> shutdown = new CompletableFuture<>();
    Session.connect(ServerConnectInfo.of(conf.host(), conf.port()),
        new DatabaseConnectInfo(conf.user(), conf.password(), conf.database()), new SessionStatusNotify() {
          @Override
          public void pgTransactionStatus(Session s, TransactionStatus status) {
            if (!ready.isDone()) {
              ready.complete(new Open(s, shutdown));
            }
          }

          @Override
          public void pgSessionConnectionFailed(Session s, ConnectionFailureReason reason) {
            ready.completeExceptionally(new IllegalStateException("pgsession connect failed: " + reason));
          }

          @Override
          public void pgSessionShutdown(Session s) {
            ready.completeExceptionally(new IllegalStateException("pgsession session shut down"));
            shutdown.complete(null);
          }
        }, CodecRegistry.defaults(), options);
    return ready;
  }

  /**
   * Runs SQL untimed and waits for its results.
   *
   * @param s the session
   * @param sql the statement(s)
   * @return the results
   * @throws Exception on failure
   */
  static List<Result> sql(Session s, String sql) throws Exception {
    CompletableFuture<List<Result>> done = new CompletableFuture<>();
    List<Result> results = new ArrayList<>();
    Query q = new SimpleQuery(sql);
    // A simple query gives one pgQueryResult per statement and no end marker: run a trailing
    // marker query so the last result is known.
    s.execute(q, new ResultReceiver() {
      @Override
      public void pgQueryResult(Session ss, Result r) {
        results.add(r);
      }

      @Override
      public void pgQueryFailed(Session ss, Query query, QueryFailure f) {
        done.completeExceptionally(new IllegalStateException(sql + ": " + f));
      }
    });
    s.execute(new SimpleQuery("SELECT 1"), new ResultReceiver() {
      @Override
      public void pgQueryResult(Session ss, Result r) {
        done.complete(results);
      }

      @Override
      public void pgQueryFailed(Session ss, Query query, QueryFailure f) {
        done.completeExceptionally(new IllegalStateException("marker: " + f));
      }
    });
    return Await.await(done);
  }

  /**
   * The one value of a single-row, single-column query, as a long.
   *
   * @param s the session
   * @param sql the query
   * @return the value
   * @throws Exception on failure
   */
  static long count(Session s, String sql) throws Exception {
    ResultSet rs = (ResultSet) sql(s, sql).get(0);
    return Long.parseLong(rs.rows().get(0).get(0).toString());
  }

  /**
   * Runs a list as one atomic batch (one Sync). Until {@code Session.batch} lands this is the
   * pipeline (a Sync per query), the closest existing operation.
   *
   * @param s the session
   * @param queries the queries
   * @param receiver results per index
   */
  static void batch(Session s, List<? extends ExtendedQuery> queries, PipelineReceiver receiver) {
    s.pipeline(queries, receiver);
  }
}
