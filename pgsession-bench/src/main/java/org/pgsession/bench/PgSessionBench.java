package org.pgsession.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.pgsession.ExtendedQuery;
import org.pgsession.PipelineReceiver;
import org.pgsession.PreparedQuery;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultReceiver;
import org.pgsession.ResultSet;
import org.pgsession.Row;
import org.pgsession.RowModifying;
import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.SessionOptions;

/**
 * pgsession's point-query workloads (W1, W2, W2b) on one session, driven from its callbacks the
 * way an asynchronous application would: each answer issues the next query.
 */
abstract class PgSessionBench implements Bench {
  final Conf conf;
  Session session;

  PgSessionBench(Conf conf) {
    this.conf = conf;
  }

  /**
   * The pgsession benchmark of a workload.
   *
   * @param workload the workload id
   * @param conf the configuration
   * @return the benchmark
   */
  static Bench create(String workload, Conf conf) {
    return switch (workload) {
      case "W1" -> new Point(conf, 1, false);
      case "W2-pipelined" -> new Point(conf, Conf.IN_FLIGHT, true);
      case "W2-batch" -> new PointLists(conf, true);
      case "W2-pipeline" -> new PointLists(conf, false);
      case "W2b" -> new Sink(conf);
      case "W3-buffered", "W3-streamed", "HEAP", "W4" -> PgSessionBulk.create(workload, conf);
      case "W5-cold", "W5-reconnect", "W6" -> PgSessionMany.create(workload, conf);
      default -> throw new IllegalArgumentException("pgsession has no workload " + workload);
    };
  }

  SessionOptions options() {
    return SessionOptions.defaults();
  }

  @Override
  public void open() throws Exception {
    session = Await.await(PgSessions.open(conf, options()));
  }

  @Override
  public void close() throws Exception {
    if (session != null) {
      Await.await(session.closeAsync());
    }
  }

  static long pointSum(Rows rows) {
    if (rows.size() != 1) {
      throw new Expected.ChecksumMismatch("point query returned " + rows.size() + " rows");
    }
    Row row = rows.get(0);
    return row.getInteger(0) + row.getString(1).length();
  }

  /** W1 (one in flight) and W2 pipelined (256 in flight): each answer sends the next query. */
  static final class Point extends PgSessionBench implements ResultReceiver {
    private final int inFlight;
    private final boolean pipelining;
    private int key;
    private long deadline;
    private long expected;
    private long actual;
    private long sent;
    private long answered;
    private CompletableFuture<Long> done;

    Point(Conf conf, int inFlight, boolean pipelining) {
      super(conf);
      this.inFlight = inFlight;
      this.pipelining = pipelining;
    }

    @Override
    SessionOptions options() {
      return SessionOptions.defaults().withPipelining(pipelining);
    }

    @Override
    public long trial() throws Exception {
      done = new CompletableFuture<>();
      expected = 0;
      actual = 0;
      sent = 0;
      answered = 0;
      deadline = System.nanoTime() + conf.trialMillis() * 1_000_000;
      // Sent from the trial thread; every later query is sent from the event loop.
      synchronized (this) {
        for (int i = 0; i < inFlight; i++) {
          send();
        }
      }
      long n = Await.await(done);
      Expected.check("W1/W2 sum of id + length(name)", expected, actual);
      return n;
    }

    private void send() {
      key = Expected.nextKey(key);
      expected += Expected.point(key);
      sent++;
      session.execute(PreparedQuery.of(Conf.POINT_SQL, key), this);
    }

    @Override
    public synchronized void pgQueryResult(Session s, Result r) {
      actual += pointSum(((ResultSet) r).rows());
      answered++;
      if (System.nanoTime() < deadline) {
        send();
      } else if (answered == sent) {
        done.complete(answered);
      }
    }

    @Override
    public void pgQueryFailed(Session s, Query q, QueryFailure f) {
      done.completeExceptionally(new IllegalStateException("query failed: " + f));
    }
  }

  /** W2 with lists of 100 point queries, as one batch (one Sync) or one pipeline (Sync each). */
  static final class PointLists extends PgSessionBench implements PipelineReceiver {
    private final boolean atomic;
    private int key;
    private long deadline;
    private long expected;
    private long actual;
    private long answered;
    private CompletableFuture<Long> done;

    PointLists(Conf conf, boolean atomic) {
      super(conf);
      this.atomic = atomic;
    }

    @Override
    public long trial() throws Exception {
      done = new CompletableFuture<>();
      expected = 0;
      actual = 0;
      answered = 0;
      deadline = System.nanoTime() + conf.trialMillis() * 1_000_000;
      sendList();
      long n = Await.await(done);
      Expected.check("W2 list sum of id + length(name)", expected, actual);
      return n;
    }

    private void sendList() {
      List<ExtendedQuery> list = new ArrayList<>(Conf.BATCH);
      for (int i = 0; i < Conf.BATCH; i++) {
        key = Expected.nextKey(key);
        expected += Expected.point(key);
        list.add(PreparedQuery.of(Conf.POINT_SQL, key));
      }
      if (atomic) {
        PgSessions.batch(session, list, this);
      } else {
        session.pipeline(list, this);
      }
    }

    @Override
    public void pgPipelineResult(Session s, int index, Result r) {
      actual += pointSum(((ResultSet) r).rows());
      answered++;
    }

    @Override
    public void pgPipelineFailed(Session s, int index, ExtendedQuery q, QueryFailure f) {
      done.completeExceptionally(new IllegalStateException("query " + index + " failed: " + f));
    }

    @Override
    public void pgPipelineComplete(Session s) {
      if (done.isDone()) {
        return;
      }
      if (System.nanoTime() < deadline) {
        sendList();
      } else {
        done.complete(answered);
      }
    }
  }

  /** W2b: batches of 100 INSERTs into bench_sink, one batch at a time; rows/s. */
  static final class Sink extends PgSessionBench implements PipelineReceiver {
    private int id;
    private long deadline;
    private long inserted;
    private CompletableFuture<Long> done;

    Sink(Conf conf) {
      super(conf);
    }

    @Override
    public void beforeTrial() throws Exception {
      PgSessions.sql(session, "TRUNCATE bench_sink");
      id = 0;
    }

    @Override
    public long trial() throws Exception {
      done = new CompletableFuture<>();
      inserted = 0;
      deadline = System.nanoTime() + conf.trialMillis() * 1_000_000;
      sendBatch();
      return Await.await(done);
    }

    private void sendBatch() {
      List<ExtendedQuery> list = new ArrayList<>(Conf.BATCH);
      for (int i = 0; i < Conf.BATCH; i++) {
        id++;
        list.add(PreparedQuery.of(Conf.SINK_SQL, id, "name-" + id));
      }
      PgSessions.batch(session, list, this);
    }

    @Override
    public void pgPipelineResult(Session s, int index, Result r) {
      inserted += ((RowModifying) r).impacted();
    }

    @Override
    public void pgPipelineFailed(Session s, int index, ExtendedQuery q, QueryFailure f) {
      done.completeExceptionally(new IllegalStateException("insert " + index + " failed: " + f));
    }

    @Override
    public void pgPipelineComplete(Session s) {
      if (done.isDone()) {
        return;
      }
      if (System.nanoTime() < deadline) {
        sendBatch();
      } else {
        done.complete(inserted);
      }
    }

    @Override
    public void afterTrial(long ops) throws Exception {
      Expected.check("W2b rows in bench_sink", ops, PgSessions.count(session, "SELECT count(*) FROM bench_sink"));
    }
  }
}
