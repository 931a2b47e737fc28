package org.pgsession.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** pgjdbc's many-connection workloads: W5 connect+close, W6 200 connections with a thread each. */
final class JdbcMany {
  private JdbcMany() {
  }

  static Bench create(String workload, Conf conf) {
    ConnectCloseBench.Client connectClose = user -> JdbcBench.connect(conf, user, false).close();
    return switch (workload) {
      case "W5-cold" -> new ConnectCloseBench(conf, true, connectClose);
      case "W5-reconnect" -> new ConnectCloseBench(conf, false, connectClose);
      default -> new ManyConnections(conf);
    };
  }

  /**
   * W6: connections opened one after the other (untimed); the timed part starts one platform
   * thread per connection (a blocking driver needs one to keep a connection busy). The threads
   * wait at a start gate until all of them run: started one after the other without it, the
   * first ones finished their 100 queries before the last ones began (63 threads alive at the
   * peak), so fewer than a third of the connections were ever busy at once.
   */
  static final class ManyConnections extends ManySessionsBench {
    private final List<Connection> conns = new ArrayList<>();

    ManyConnections(Conf conf) {
      super(conf);
    }

    @Override
    void openAll() throws Exception {
      for (int i = 0; i < conf.w6Sessions(); i++) {
        conns.add(JdbcBench.connect(conf, false));
      }
    }

    @Override
    long runAll() throws Exception {
      CountDownLatch started = new CountDownLatch(conns.size());
      CountDownLatch gate = new CountDownLatch(1);
      CountDownLatch finished = new CountDownLatch(conns.size());
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < conns.size(); i++) {
        Connection c = conns.get(i);
        int first = firstKey(i);
        threads.add(new Thread(() -> {
          started.countDown();
          try (PreparedStatement ps = c.prepareStatement(Conf.POINT_SQL_JDBC)) {
            long expected = 0;
            long actual = 0;
            int key = first;
            gate.await();
            for (int q = 0; q < conf.w6Queries(); q++) {
              key = Expected.nextKey(key);
              expected += Expected.point(key);
              actual += JdbcBench.point(ps, key);
            }
            Expected.check("W6 sum of id + length(name)", expected, actual);
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
      started.await();
      gate.countDown();
      finished.await();
      if (failure.get() instanceof Expected.ChecksumMismatch m) {
        throw m;
      }
      if (failure.get() != null) {
        throw new IllegalStateException("W6 worker failed: " + failure.get(), failure.get());
      }
      return (long) conns.size() * conf.w6Queries();
    }

    @Override
    void closeAll() throws Exception {
      for (Connection c : conns) {
        c.close();
      }
      conns.clear();
    }
  }
}
