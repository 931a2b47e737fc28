package org.pgsession.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Vert.x many-connection workloads: W5 connect+close, W6 200 connections on one Vertx. */
final class VertxMany {
  private VertxMany() {
  }

  static Bench create(String workload, Conf conf) {
    return switch (workload) {
      case "W5-cold" -> new ConnectCloseBench(conf, true, new ConnectClose(conf));
      case "W5-reconnect" -> new ConnectCloseBench(conf, false, new ConnectClose(conf));
      default -> new ManyConnections(conf);
    };
  }

  /** W5: PgConnection.connect + close on the JVM's one Vertx. */
  private static final class ConnectClose implements ConnectCloseBench.Client {
    private final Conf conf;
    private Vertx vertx;

    ConnectClose(Conf conf) {
      this.conf = conf;
    }

    @Override
    public void open() {
      vertx = VertxBench.newVertx();
    }

    @Override
    public void connectAndClose(String user) throws Exception {
      VertxBench.await(PgConnection.connect(vertx, VertxBench.options(conf, user)).compose(c -> c.close()));
    }

    @Override
    public void close() throws Exception {
      VertxBench.await(vertx.close());
    }
  }

  /** W6: connections opened in parallel; each runs a chain of queries from its handlers. */
  static final class ManyConnections extends ManySessionsBench {
    private final List<PgConnection> conns = new ArrayList<>();
    private Vertx vertx;

    ManyConnections(Conf conf) {
      super(conf);
    }

    @Override
    public void open() {
      vertx = VertxBench.newVertx();
    }

    @Override
    void openAll() throws Exception {
      List<Future<PgConnection>> opening = new ArrayList<>();
      for (int i = 0; i < conf.w6Sessions(); i++) {
        opening.add(PgConnection.connect(vertx, VertxBench.options(conf)));
      }
      for (Future<PgConnection> f : opening) {
        conns.add(VertxBench.await(f));
      }
    }

    @Override
    long runAll() throws Exception {
      List<PointLoop> loops = new ArrayList<>();
      for (int i = 0; i < conns.size(); i++) {
        PointLoop loop = PointLoop.counted(conf.w6Queries(), firstKey(i));
        loops.add(loop);
        send(conns.get(i), loop);
      }
      long total = 0;
      for (PointLoop loop : loops) {
        total += loop.await();
      }
      return total;
    }

    private static void send(PgConnection conn, PointLoop loop) {
      conn.preparedQuery(Conf.POINT_SQL).execute(Tuple.of(loop.next())).onComplete(ar -> {
        if (ar.failed()) {
          loop.fail(ar.cause());
          return;
        }
        loop.answer(VertxBench.pointSum(ar.result()));
        if (loop.more()) {
          send(conn, loop);
        }
      });
    }

    @Override
    void closeAll() throws Exception {
      List<Future<Void>> closing = new ArrayList<>();
      for (PgConnection c : conns) {
        closing.add(c.close());
      }
      for (Future<Void> f : closing) {
        VertxBench.await(f);
      }
      conns.clear();
    }

    @Override
    public void close() throws Exception {
      super.close();
      if (vertx != null) {
        VertxBench.await(vertx.close());
      }
    }
  }
}
