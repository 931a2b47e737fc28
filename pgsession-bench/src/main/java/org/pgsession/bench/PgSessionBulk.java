package org.pgsession.bench;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.pgsession.CopyInReceiver;
import org.pgsession.ExtendedQuery;
import org.pgsession.PreparedQuery;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultReceiver;
import org.pgsession.ResultSet;
import org.pgsession.Row;
import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.StreamingResultReceiver;

/** pgsession's bulk workloads: W3 buffered and streamed, the smallest-heap stream, W4 COPY IN. */
final class PgSessionBulk {
  private PgSessionBulk() {
  }

  static Bench create(String workload, Conf conf) {
    return switch (workload) {
      case "W3-buffered" -> new Buffered(conf);
      case "W3-streamed" -> new Streamed(conf, conf.w3Rows());
      case "HEAP" -> new Streamed(conf, conf.heapRows());
      case "W4" -> new Copy(conf);
      default -> throw new IllegalArgumentException(workload);
    };
  }

  static void add(WideSum sum, Rows rows) {
    for (Row r : rows) {
      sum.add(r.intValue(0), r.longValue(1), r.getString(2), r.doubleValue(3), r.get(4, OffsetDateTime.class));
    }
  }

  /** W3 buffered: one execute, every row decoded and summed in the callback. */
  static final class Buffered extends PgSessionBench implements ResultReceiver {
    private WideSum sum;
    private CompletableFuture<Long> done;

    Buffered(Conf conf) {
      super(conf);
    }

    @Override
    public long trial() throws Exception {
      sum = new WideSum();
      done = new CompletableFuture<>();
      session.execute(PreparedQuery.of(Conf.wideSql(conf.w3Rows())), this);
      long n = Await.await(done);
      sum.verify(Expected.wide(conf.w3Rows()));
      return n;
    }

    @Override
    public void pgQueryResult(Session s, Result r) {
      add(sum, ((ResultSet) r).rows());
      done.complete(sum.rows);
    }

    @Override
    public void pgQueryFailed(Session s, Query q, QueryFailure f) {
      done.completeExceptionally(new IllegalStateException("W3 failed: " + f));
    }
  }

  /** W3 streamed and the smallest-heap probe: windows of 1000 rows, fetchMore after each. */
  static final class Streamed extends PgSessionBench implements StreamingResultReceiver {
    private final int rows;
    private WideSum sum;
    private CompletableFuture<Long> done;

    Streamed(Conf conf, int rows) {
      super(conf);
      this.rows = rows;
    }

    @Override
    public long trial() throws Exception {
      sum = new WideSum();
      done = new CompletableFuture<>();
      session.stream(PreparedQuery.of(Conf.wideSql(rows)), Conf.WINDOW, this);
      long n = Await.await(done);
      sum.verify(Expected.wide(rows));
      return n;
    }

    @Override
    public void pgStreamBatch(Session s, Rows batch) {
      add(sum, batch);
      s.fetchMore();
    }

    @Override
    public void pgStreamComplete(Session s) {
      done.complete(sum.rows);
    }

    @Override
    public void pgStreamFailed(Session s, ExtendedQuery q, QueryFailure f) {
      done.completeExceptionally(new IllegalStateException("W3 stream failed: " + f));
    }
  }

  /** W4: COPY FROM STDIN of the in-memory payload, one 64 KiB chunk per pgCopyReady. */
  static final class Copy extends PgSessionBench implements CopyInReceiver {
    private List<byte[]> chunks;
    private int next;
    private CompletableFuture<Long> done;

    Copy(Conf conf) {
      super(conf);
    }

    @Override
    public void open() throws Exception {
      super.open();
      chunks = CopyPayload.chunks(conf.w4Rows());
    }

    @Override
    public void beforeTrial() throws Exception {
      PgSessions.sql(session, "TRUNCATE bench_copy");
    }

    @Override
    public long trial() throws Exception {
      next = 0;
      done = new CompletableFuture<>();
      session.copyIn(Conf.COPY_SQL, this);
      long n = Await.await(done);
      Expected.check("W4 COPY row count", (long) conf.w4Rows(), n);
      return n;
    }

    @Override
    public void pgCopyReady(Session s) {
      if (next < chunks.size()) {
        s.sendCopyData(chunks.get(next++));
      } else {
        s.finishCopy();
      }
    }

    @Override
    public void pgCopyComplete(Session s, long count) {
      done.complete(count);
    }

    @Override
    public void pgCopyFailed(Session s, QueryFailure f) {
      done.completeExceptionally(new IllegalStateException("W4 failed: " + f));
    }

    @Override
    public void afterTrial(long ops) throws Exception {
      Expected.check("W4 rows in bench_copy", ops, PgSessions.count(session, "SELECT count(*) FROM bench_copy"));
    }
  }
}
