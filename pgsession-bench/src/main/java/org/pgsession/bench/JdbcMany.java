package org.pgsession.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** pgjdbc's many-connection workloads: W5 connect+close, W6 200 connections with a thread each. */
final class JdbcMany {
  private JdbcMany() {
  }

  static Bench create(String workload, Conf conf) {
    return switch (workload) {
      case "W5-cold" -> new ConnectClose(conf, true);
      case "W5-reconnect" -> new ConnectClose(conf, false);
      default -> new ManyConnections(conf);
    };
  }

  /** W5: DriverManager.getConnection + close, in sequence; cold: a new role every time. */
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
        JdbcBench.connect(conf, cold ? Conf.coldRole(++role) : conf.user(), false).close();
      }
      return conf.w5Connections();
    }

    @Override
    public void close() {
    }
  }

  /**
   * W6: N connections opened untimed; the timed part starts one platform thread per connection
   * (a blocking driver needs one to keep a connection busy), each running 100 point queries.
   */
  static final class ManyConnections implements Bench {
    private final Conf conf;
    private final List<Connection> conns = new ArrayList<>();
    private long heapPerSession;
    private long idleThreads;
    private long peakThreads;

    ManyConnections(Conf conf) {
      this.conf = conf;
    }

    @Override
    public void open() {
    }

    @Override
    public void beforeTrial() throws Exception {
      long before = HeapProbe.liveHeap();
      for (int i = 0; i < conf.w6Sessions(); i++) {
        conns.add(JdbcBench.connect(conf, false));
      }
      Thread.sleep(500);
      heapPerSession = (HeapProbe.liveHeap() - before) / conf.w6Sessions();
      idleThreads = HeapProbe.threads();
      HeapProbe.resetPeak();
    }

    @Override
    public long trial() throws Exception {
      CountDownLatch finished = new CountDownLatch(conns.size());
      AtomicReference<Throwable> failure = new AtomicReference<>();
      long[] expected = new long[conns.size()];
      long[] actual = new long[conns.size()];
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < conns.size(); i++) {
        Connection c = conns.get(i);
        int slot = i;
        int first = 1 + (i * 50) % Conf.POINT_KEYS;
        threads.add(new Thread(() -> {
          try (PreparedStatement ps = c.prepareStatement(Conf.POINT_SQL_JDBC)) {
            int key = first;
            for (int q = 0; q < conf.w6Queries(); q++) {
              key = Expected.nextKey(key);
              expected[slot] += Expected.point(key);
              actual[slot] += JdbcBench.point(ps, key);
            }
          } catch (Throwable t) {
            failure.compareAndSet(null, t);
          } finally {
            finished.countDown();
          }
        }, "w6-" + i));
      }
      for (Thread t : threads) {
        t.start();
      }
      finished.await();
      if (failure.get() != null) {
        throw new IllegalStateException("W6 worker failed: " + failure.get(), failure.get());
      }
      peakThreads = HeapProbe.peakThreads();
      for (int i = 0; i < conns.size(); i++) {
        Expected.check("W6 sum of id + length(name)", expected[i], actual[i]);
      }
      return (long) conns.size() * conf.w6Queries();
    }

    @Override
    public void afterTrial(long ops) throws Exception {
      close();
    }

    @Override
    public Map<String, Long> extras() {
      return Map.of("heapPerSession", heapPerSession, "idleThreads", idleThreads, "peakThreads", peakThreads);
    }

    @Override
    public void close() throws Exception {
      for (Connection c : conns) {
        c.close();
      }
      conns.clear();
    }
  }
}
