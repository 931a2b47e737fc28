package org.pgsession.bench;

import io.vertx.core.Future;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** Vert.x many-connection workloads: W5 connect+close, W6 200 connections on one Vertx. */
final class VertxMany {
  private VertxMany() {
  }

  static Bench create(String workload, Conf conf) {
    return switch (workload) {
      case "W5-cold" -> new ConnectClose(conf, true);
      case "W5-reconnect" -> new ConnectClose(conf, false);
      default -> new ManyConnections(conf);
    };
  }

  /** W5: PgConnection.connect + close, in sequence; cold: a new role every time. */
  static final class ConnectClose extends VertxBench {
    private final boolean cold;
    private int role;

    ConnectClose(Conf conf, boolean cold) {
      super(conf);
      this.cold = cold;
    }

    @Override
    boolean connectsInOpen() {
      return false;
    }

    @Override
    public long trial() throws Exception {
      for (int i = 0; i < conf.w5Connections(); i++) {
        String user = cold ? Conf.coldRole(++role) : conf.user();
        await(PgConnection.connect(vertx, options(conf, user)).compose(c -> c.close()));
      }
      return conf.w5Connections();
    }
  }

  /** W6: N connections opened untimed, then 100 chained point queries on each, all at once. */
  static final class ManyConnections extends VertxBench {
    private final List<PgConnection> conns = new ArrayList<>();
    private long heapPerSession;
    private long idleThreads;
    private long peakThreads;

    ManyConnections(Conf conf) {
      super(conf);
    }

    @Override
    boolean connectsInOpen() {
      return false;
    }

    @Override
    public void beforeTrial() throws Exception {
      long before = HeapProbe.liveHeap();
      List<Future<PgConnection>> opening = new ArrayList<>();
      for (int i = 0; i < conf.w6Sessions(); i++) {
        opening.add(PgConnection.connect(vertx, options(conf)));
      }
      for (Future<PgConnection> f : opening) {
        conns.add(await(f));
      }
      Thread.sleep(500);
      heapPerSession = (HeapProbe.liveHeap() - before) / conf.w6Sessions();
      idleThreads = HeapProbe.threads();
      HeapProbe.resetPeak();
    }

    @Override
    public long trial() throws Exception {
      CompletableFuture<Void> all = new CompletableFuture<>();
      AtomicInteger running = new AtomicInteger(conns.size());
      List<Chain> chains = new ArrayList<>();
      for (int i = 0; i < conns.size(); i++) {
        chains.add(new Chain(conns.get(i), 1 + (i * 50) % Conf.POINT_KEYS, conf.w6Queries(), all, running));
      }
      for (Chain c : chains) {
        c.send();
      }
      Await.await(all);
      long total = 0;
      for (Chain c : chains) {
        Expected.check("W6 sum of id + length(name)", c.expected, c.actual);
        total += c.answered;
      }
      peakThreads = HeapProbe.peakThreads();
      return total;
    }

    @Override
    public void afterTrial(long ops) throws Exception {
      closeAll();
    }

    @Override
    public Map<String, Long> extras() {
      return Map.of("heapPerSession", heapPerSession, "idleThreads", idleThreads, "peakThreads", peakThreads);
    }

    @Override
    public void close() throws Exception {
      closeAll();
      super.close();
    }

    private void closeAll() throws Exception {
      List<Future<Void>> closing = new ArrayList<>();
      for (PgConnection c : conns) {
        closing.add(c.close());
      }
      for (Future<Void> f : closing) {
        await(f);
      }
      conns.clear();
    }
  }

  /** One W6 connection's chain of point queries. */
  private static final class Chain {
    private final PgConnection conn;
    private final int queries;
    private final CompletableFuture<Void> all;
    private final AtomicInteger running;
    private int key;
    long expected;
    long actual;
    long answered;

    Chain(PgConnection conn, int firstKey, int queries, CompletableFuture<Void> all, AtomicInteger running) {
      this.conn = conn;
      this.key = firstKey;
      this.queries = queries;
      this.all = all;
      this.running = running;
    }

    void send() {
      key = Expected.nextKey(key);
      expected += Expected.point(key);
      conn.preparedQuery(Conf.POINT_SQL).execute(Tuple.of(key)).onComplete(ar -> {
        if (ar.failed()) {
          all.completeExceptionally(ar.cause());
          return;
        }
        actual += VertxBench.pointSum(ar.result());
        if (++answered < queries) {
          send();
        } else if (running.decrementAndGet() == 0) {
          all.complete(null);
        }
      });
    }
  }
}
