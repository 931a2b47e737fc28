package org.pgsession.bench;

import java.util.ArrayList;
import java.util.List;
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
    return row.intValue(0) + row.getString(1).length();
  }

  /** W1 (one in flight) and W2 pipelined (256 in flight): each answer sends the next query. */
  static final class Point extends PgSessionBench implements ResultReceiver {
    private final int inFlight;
    private final boolean pipelining;
    private PointLoop loop = PointLoop.timed(0, 0);

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
      synchronized (this) { // the first queries go from this thread, the rest from the event loop
        loop = PointLoop.timed(conf.trialMillis(), loop.lastKey());
        for (int i = 0; i < inFlight; i++) {
          session.execute(PreparedQuery.of(Conf.POINT_SQL, loop.next()), this);
        }
      }
      return loop.await();
    }

    @Override
    public synchronized void pgQueryResult(Session s, Result r) {
      loop.answer(pointSum(((ResultSet) r).rows()));
      if (loop.more()) {
        s.execute(PreparedQuery.of(Conf.POINT_SQL, loop.next()), this);
      }
    }

    @Override
    public void pgQueryFailed(Session s, Query q, QueryFailure f) {
      loop.fail(new IllegalStateException("query failed: " + f));
    }
  }

  /** W2 with lists of 100 point queries, as one batch (one Sync) or one pipeline (Sync each). */
  static final class PointLists extends PgSessionBench implements PipelineReceiver {
    private final boolean atomic;
    private PointLoop loop = PointLoop.timed(0, 0);

    PointLists(Conf conf, boolean atomic) {
      super(conf);
      this.atomic = atomic;
    }

    @Override
    public long trial() throws Exception {
      loop = PointLoop.timed(conf.trialMillis(), loop.lastKey());
      sendList();
      return loop.await();
    }

    private void sendList() {
      List<ExtendedQuery> list = new ArrayList<>(Conf.BATCH);
      for (int i = 0; i < Conf.BATCH; i++) {
        list.add(PreparedQuery.of(Conf.POINT_SQL, loop.next()));
      }
      if (atomic) {
        PgSessions.batch(session, list, this);
      } else {
        session.pipeline(list, this);
      }
    }

    @Override
    public void pgPipelineResult(Session s, int index, Result r) {
      loop.answer(pointSum(((ResultSet) r).rows()));
    }

    @Override
    public void pgPipelineFailed(Session s, int index, ExtendedQuery q, QueryFailure f) {
      loop.fail(new IllegalStateException("query " + index + " failed: " + f));
    }

    @Override
    public void pgPipelineComplete(Session s) {
      if (!loop.done().isDone() && loop.more()) {
        sendList();
      }
    }
  }

  /** W2b: batches of 100 INSERTs into bench_sink, one batch at a time; rows/s. */
  static final class Sink extends PgSessionBench implements PipelineReceiver {
    private SinkLoop loop;

    Sink(Conf conf) {
      super(conf);
    }

    @Override
    public void beforeTrial() throws Exception {
      PgSessions.sql(session, "TRUNCATE bench_sink");
    }

    @Override
    public long trial() throws Exception {
      loop = new SinkLoop(conf.trialMillis());
      sendBatch();
      return loop.await();
    }

    private void sendBatch() {
      List<ExtendedQuery> list = new ArrayList<>(Conf.BATCH);
      for (int i = 0; i < Conf.BATCH; i++) {
        int id = loop.nextId();
        list.add(PreparedQuery.of(Conf.SINK_SQL, id, "name-" + id));
      }
      PgSessions.batch(session, list, this);
    }

    @Override
    public void pgPipelineResult(Session s, int index, Result r) {
      loop.inserted(((RowModifying) r).impacted());
    }

    @Override
    public void pgPipelineFailed(Session s, int index, ExtendedQuery q, QueryFailure f) {
      loop.fail(new IllegalStateException("insert " + index + " failed: " + f));
    }

    @Override
    public void pgPipelineComplete(Session s) {
      if (!loop.isDone() && loop.more()) {
        sendBatch();
      }
    }

    @Override
    public void afterTrial(long ops) throws Exception {
      Expected.check("W2b rows in bench_sink", ops, PgSessions.count(session, "SELECT count(*) FROM bench_sink"));
    }
  }
}
