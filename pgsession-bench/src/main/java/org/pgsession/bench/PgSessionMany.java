package org.pgsession.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.pgsession.PreparedQuery;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultReceiver;
import org.pgsession.ResultSet;
import org.pgsession.Session;
import org.pgsession.SessionOptions;

/** pgsession's many-connection workloads: W5 connect+close in sequence, W6 200 busy sessions. */
final class PgSessionMany {
  private PgSessionMany() {
  }

  static Bench create(String workload, Conf conf) {
    return switch (workload) {
      case "W5-cold" -> new ConnectClose(conf, true);
      case "W5-reconnect" -> new ConnectClose(conf, false);
      default -> new ManySessions(conf);
    };
  }

  /** W5: open until ready, close until shut down, in sequence; cold: a new role every time. */
  static final class ConnectClose implements Bench {
    private final Conf conf;
    private final boolean cold;
    private int role;

    ConnectClose(Conf conf, boolean cold) {
      this.conf = conf;
      this.cold = cold;
    }

    @Override
    public void open() {
    }

    @Override
    public long trial() throws Exception {
      for (int i = 0; i < conf.w5Connections(); i++) {
        String user = cold ? Conf.coldRole(++role) : conf.user();
        Session s = Await.await(PgSessions.open(conf, user, SessionOptions.defaults()));
        Await.await(s.closeAsync());
      }
      return conf.w5Connections();
    }

    @Override
    public void close() {
    }
  }

  /** W6: open N sessions (untimed), idle 0.5 s, measure heap and threads, then 100 queries each. */
  static final class ManySessions implements Bench {
    private final Conf conf;
    private final List<Session> sessions = new ArrayList<>();
    private long heapPerSession;
    private long idleThreads;
    private long peakThreads;

    ManySessions(Conf conf) {
      this.conf = conf;
    }

    @Override
    public void open() {
    }

    @Override
    public void beforeTrial() throws Exception {
      long before = HeapProbe.liveHeap();
      List<CompletableFuture<Session>> opening = new ArrayList<>();
      for (int i = 0; i < conf.w6Sessions(); i++) {
        opening.add(PgSessions.open(conf, SessionOptions.defaults()));
      }
      for (CompletableFuture<Session> f : opening) {
        sessions.add(Await.await(f));
      }
      Thread.sleep(500);
      heapPerSession = (HeapProbe.liveHeap() - before) / conf.w6Sessions();
      idleThreads = HeapProbe.threads();
      HeapProbe.resetPeak();
    }

    @Override
    public long trial() throws Exception {
      CompletableFuture<Void> all = new CompletableFuture<>();
      AtomicInteger running = new AtomicInteger(sessions.size());
      List<Chain> chains = new ArrayList<>();
      for (int i = 0; i < sessions.size(); i++) {
        Chain c = new Chain(sessions.get(i), 1 + (i * 50) % Conf.POINT_KEYS, conf.w6Queries(), all,
            running);
        chains.add(c);
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
    }

    private void closeAll() throws Exception {
      List<CompletableFuture<Void>> closing = new ArrayList<>();
      for (Session s : sessions) {
        closing.add(s.closeAsync());
      }
      for (CompletableFuture<Void> f : closing) {
        Await.await(f);
      }
      sessions.clear();
    }
  }

  /** One W6 session's chain of point queries, each sent from the previous one's callback. */
  private static final class Chain implements ResultReceiver {
    private final Session session;
    private final int queries;
    private final CompletableFuture<Void> all;
    private final AtomicInteger running;
    private int key;
    long expected;
    long actual;
    long answered;

    Chain(Session session, int firstKey, int queries, CompletableFuture<Void> all, AtomicInteger running) {
      this.session = session;
      this.key = firstKey;
      this.queries = queries;
      this.all = all;
      this.running = running;
    }

    void send() {
      key = Expected.nextKey(key);
      expected += Expected.point(key);
      session.execute(PreparedQuery.of(Conf.POINT_SQL, key), this);
    }

    @Override
    public void pgQueryResult(Session s, Result r) {
      actual += PgSessionBench.pointSum(((ResultSet) r).rows());
      if (++answered < queries) {
        send();
      } else if (running.decrementAndGet() == 0) {
        all.complete(null);
      }
    }

    @Override
    public void pgQueryFailed(Session s, Query q, QueryFailure f) {
      all.completeExceptionally(new IllegalStateException("W6 query failed: " + f));
    }
  }
}
