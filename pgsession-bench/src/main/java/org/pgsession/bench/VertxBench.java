package org.pgsession.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The Vert.x pg client 5.0.5 with {@code cachePreparedStatements=true} and a pipelining limit of
 * 256, on its own Vertx instance (native transport preferred, as Vert.x recommends on Linux), in
 * its future style: each completion handler issues the next query on the connection's event loop.
 */
abstract class VertxBench implements Bench {
  final Conf conf;
  Vertx vertx;
  SqlConnection conn;

  VertxBench(Conf conf) {
    this.conf = conf;
  }

  static Bench create(String workload, Conf conf) {
    return switch (workload) {
      case "W1" -> new Point(conf, 1);
      case "W2-pipelined" -> new Point(conf, Conf.IN_FLIGHT);
      case "W2-batch" -> new PointBatch(conf);
      case "W2b" -> new Sink(conf);
      case "W3-buffered" -> new Buffered(conf);
      case "W3-streamed" -> new Streamed(conf, conf.w3Rows());
      case "HEAP" -> new Streamed(conf, conf.heapRows());
      case "W5-cold", "W5-reconnect", "W6" -> VertxMany.create(workload, conf);
      default -> throw new IllegalArgumentException("Vert.x has no workload " + workload);
    };
  }

  static PgConnectOptions options(Conf conf) {
    return options(conf, conf.user());
  }

  static PgConnectOptions options(Conf conf, String user) {
    return new PgConnectOptions().setHost(conf.host()).setPort(conf.port()).setDatabase(conf.database())
        .setUser(user).setPassword(conf.passwordOf(user)).setCachePreparedStatements(true)
        .setPipeliningLimit(Conf.IN_FLIGHT);
  }

  static Vertx newVertx() {
    return Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
  }

  static <T> T await(Future<T> f) throws Exception {
    return Await.await(f.toCompletionStage());
  }

  boolean connectsInOpen() {
    return true;
  }

  @Override
  public void open() throws Exception {
    vertx = newVertx();
    if (connectsInOpen()) {
      conn = await(PgConnection.connect(vertx, options(conf)));
    }
  }

  @Override
  public void close() throws Exception {
    if (conn != null) {
      await(conn.close());
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }

  static long pointSum(RowSet<Row> rs) {
    if (rs.size() != 1) {
      throw new Expected.ChecksumMismatch("point query returned " + rs.size() + " rows");
    }
    Row row = rs.iterator().next();
    return row.getInteger(0) + row.getString(1).length();
  }

  static void add(WideSum sum, RowSet<Row> rs) {
    for (Row r : rs) {
      sum.add(r.getInteger(0), r.getLong(1), r.getString(2), r.getDouble(3), r.getOffsetDateTime(4));
    }
  }

  /** W1 (1 in flight) and W2 pipelined (256 in flight): each completion sends the next query. */
  static final class Point extends VertxBench {
    private final int inFlight;
    private PointLoop loop = PointLoop.timed(0, 0);

    Point(Conf conf, int inFlight) {
      super(conf);
      this.inFlight = inFlight;
    }

    @Override
    public long trial() throws Exception {
      synchronized (this) { // the first queries go from this thread, the rest from the event loop
        loop = PointLoop.timed(conf.trialMillis(), loop.lastKey());
        for (int i = 0; i < inFlight; i++) {
          send();
        }
      }
      return loop.await();
    }

    private void send() {
      conn.preparedQuery(Conf.POINT_SQL).execute(Tuple.of(loop.next())).onComplete(ar -> answer(ar.result(),
          ar.cause()));
    }

    private synchronized void answer(RowSet<Row> rs, Throwable failure) {
      if (failure != null) {
        loop.fail(failure);
        return;
      }
      loop.answer(pointSum(rs));
      if (loop.more()) {
        send();
      }
    }
  }

  /** W2 with executeBatch of 100 point queries, one batch at a time. */
  static final class PointBatch extends VertxBench {
    private PointLoop loop = PointLoop.timed(0, 0);

    PointBatch(Conf conf) {
      super(conf);
    }

    @Override
    public long trial() throws Exception {
      loop = PointLoop.timed(conf.trialMillis(), loop.lastKey());
      sendBatch();
      return loop.await();
    }

    private void sendBatch() {
      List<Tuple> batch = new ArrayList<>(Conf.BATCH);
      for (int i = 0; i < Conf.BATCH; i++) {
        batch.add(Tuple.of(loop.next()));
      }
      conn.preparedQuery(Conf.POINT_SQL).executeBatch(batch).onComplete(ar -> {
        if (ar.failed()) {
          loop.fail(ar.cause());
          return;
        }
        for (RowSet<Row> rs = ar.result(); rs != null; rs = rs.next()) {
          loop.answer(pointSum(rs));
        }
        if (loop.more()) {
          sendBatch();
        }
      });
    }
  }

  /** W2b: executeBatch of 100 INSERTs, one batch at a time. */
  static final class Sink extends VertxBench {
    private SinkLoop loop;

    Sink(Conf conf) {
      super(conf);
    }

    @Override
    public void beforeTrial() throws Exception {
      await(conn.query("TRUNCATE bench_sink").execute());
    }

    @Override
    public long trial() throws Exception {
      loop = new SinkLoop(conf.trialMillis());
      sendBatch();
      return loop.await();
    }

    private void sendBatch() {
      List<Tuple> batch = new ArrayList<>(Conf.BATCH);
      for (int i = 0; i < Conf.BATCH; i++) {
        int id = loop.nextId();
        batch.add(Tuple.of(id, "name-" + id));
      }
      conn.preparedQuery(Conf.SINK_SQL).executeBatch(batch).onComplete(ar -> {
        if (ar.failed()) {
          loop.fail(ar.cause());
          return;
        }
        for (RowSet<Row> rs = ar.result(); rs != null; rs = rs.next()) {
          loop.inserted(rs.rowCount());
        }
        if (loop.more()) {
          sendBatch();
        }
      });
    }

    @Override
    public void afterTrial(long ops) throws Exception {
      RowSet<Row> rs = await(conn.query("SELECT count(*) FROM bench_sink").execute());
      Expected.check("W2b rows in bench_sink", ops, rs.iterator().next().getLong(0));
    }
  }

  /** W3 buffered: one prepared query, every row decoded in the completion handler. */
  static final class Buffered extends VertxBench {
    Buffered(Conf conf) {
      super(conf);
    }

    @Override
    public long trial() throws Exception {
      WideSum sum = new WideSum();
      long n = await(conn.preparedQuery(Conf.wideSql(conf.w3Rows())).execute().map(rs -> {
        add(sum, rs);
        return sum.rows;
      }));
      sum.verify(Expected.wide(conf.w3Rows()));
      return n;
    }
  }

  /** W3 streamed and the smallest-heap probe: a cursor read 1000 rows at a time in a transaction. */
  static final class Streamed extends VertxBench {
    private final int rows;

    Streamed(Conf conf, int rows) {
      super(conf);
      this.rows = rows;
    }

    @Override
    public long trial() throws Exception {
      WideSum sum = new WideSum();
      Future<Long> f = conn.begin().compose(tx -> conn.prepare(Conf.wideSql(rows)).compose(ps -> {
        Cursor cursor = ps.cursor();
        Promise<Void> read = Promise.promise();
        readAll(cursor, sum, read);
        return read.future().compose(v -> cursor.close()).compose(v -> ps.close());
      }).compose(v -> tx.commit()).map(v -> sum.rows));
      long n = await(f);
      sum.verify(Expected.wide(rows));
      return n;
    }

    private static void readAll(Cursor cursor, WideSum sum, Promise<Void> done) {
      cursor.read(Conf.WINDOW).onComplete(ar -> {
        if (ar.failed()) {
          done.fail(ar.cause());
          return;
        }
        add(sum, ar.result());
        if (cursor.hasMore()) {
          readAll(cursor, sum, done);
        } else {
          done.complete();
        }
      });
    }
  }
}
