package org.pgsession.microbench;

import java.lang.management.ManagementFactory;
import java.time.OffsetDateTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.PreparedQuery;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultReceiver;
import org.pgsession.ResultSet;
import org.pgsession.Row;
import org.pgsession.Rows;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SessionStatusNotify;
import org.pgsession.StreamingResultReceiver;
import org.pgsession.ExtendedQuery;
import org.pgsession.testkit.PgCluster;
import org.pgsession.testkit.TestRoles;

/**
 * End-to-end W3 (see BENCHMARKS.md) against a testkit server: buffered {@code execute} and
 * {@code stream} with windows of 1000, every value read and summed. Prints rows/s and bytes
 * allocated per row summed over all threads (decoding runs on the Netty event loop).
 *
 * <p>Not a substitute for the benchmark module: one client, short runs, for before/after
 * comparisons of the decode path. Arguments: {@code [rows] [trials] [mode...]} where mode is
 * {@code buffered} or {@code streamed}; system property {@code w3.primitive=true} reads the
 * numbers with the primitive getters instead of the boxed ones.
 */
public final class W3Harness {
  static final String SQL = "SELECT i, i::int8*2, 'row-'||i, i*1.5::float8, now() "
      + "FROM generate_series(1,$1::int4) i";

  private W3Harness() {}

  /**
   * @param args rows, trials, modes
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int trials = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    String[] modes = args.length > 2 ? java.util.Arrays.copyOfRange(args, 2, args.length)
        : new String[] {"buffered", "streamed"};
    CompletableFuture<Void> ready = new CompletableFuture<>();
    try (PgCluster cluster = PgCluster.start()) {
      Session s = Session.connect(ServerConnectInfo.of(cluster.host(), cluster.port()),
          new DatabaseConnectInfo(TestRoles.SCRAM_USER, TestRoles.SCRAM_PASSWORD,
              TestRoles.DATABASE), new SessionStatusNotify() {
                @Override
                public void pgSessionConnectionFailed(Session session,
                    org.pgsession.ConnectionFailureReason reason) {
                  ready.completeExceptionally(new AssertionError(reason.toString()));
                }

                @Override
                public void pgTransactionStatus(Session session,
                    org.pgsession.TransactionStatus status) {
                  ready.complete(null);
                }
              });
      ready.get(1, TimeUnit.MINUTES);
      for (String mode : modes) {
        for (int t = 0; t < trials; t++) {
          Consumer c = new Consumer();
          long a0 = allocated();
          long t0 = System.nanoTime();
          if (mode.equals("buffered")) {
            buffered(s, rows, c);
          } else {
            streamed(s, rows, c);
          }
          long ns = System.nanoTime() - t0;
          long bytes = allocated() - a0;
          if (c.rows != rows || c.nullTimes != 0) {
            throw new AssertionError("bad checksum: " + c.rows + " rows, " + c.nullTimes);
          }
          System.out.printf("%-8s trial %d: %,d rows/s, %,d B/row (sum %d)%n", mode, t,
              (long) (rows * 1e9 / ns), bytes / rows, c.sum);
        }
      }
      s.close();
    }
  }

  /** Sums of every column, so no value can be skipped. */
  static final class Consumer {
    static final boolean PRIMITIVE = Boolean.getBoolean("w3.primitive");
    long rows;
    long sum;
    long nullTimes;

    void accept(Row r) {
      rows++;
      if (PRIMITIVE) {
        sum += r.intValue(0) + r.longValue(1) + r.getString(2).length()
            + (long) r.doubleValue(3);
      } else {
        sum += r.getInteger(0) + r.getLong(1) + r.getString(2).length()
            + r.getDouble(3).longValue();
      }
      OffsetDateTime now = r.get(4, OffsetDateTime.class);
      if (now == null) {
        nullTimes++;
      }
    }
  }

  private static void buffered(Session s, int rows, Consumer c) throws Exception {
    CompletableFuture<Rows> f = new CompletableFuture<>();
    s.execute(PreparedQuery.of(SQL, rows), new ResultReceiver() {
      @Override
      public void pgQueryResult(Session session, Result result) {
        f.complete(((ResultSet) result).rows());
      }

      @Override
      public void pgQueryFailed(Session session, Query query, QueryFailure failure) {
        f.completeExceptionally(new AssertionError(failure.toString()));
      }
    });
    for (Row r : f.get(5, TimeUnit.MINUTES)) {
      c.accept(r);
    }
  }

  private static void streamed(Session s, int rows, Consumer c) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    s.stream(PreparedQuery.of(SQL, rows), 1000, new StreamingResultReceiver() {
      @Override
      public void pgStreamBatch(Session session, Rows batch) {
        for (Row r : batch) {
          c.accept(r);
        }
        session.fetchMore();
      }

      @Override
      public void pgStreamComplete(Session session) {
        done.complete(null);
      }

      @Override
      public void pgStreamFailed(Session session, ExtendedQuery query, QueryFailure failure) {
        done.completeExceptionally(new AssertionError(failure.toString()));
      }
    });
    done.get(5, TimeUnit.MINUTES);
  }

  /** Bytes allocated so far by every live thread. */
  static long allocated() {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (long b : mx.getThreadAllocatedBytes(mx.getAllThreadIds())) {
      sum += Math.max(0, b);
    }
    return sum;
  }
}
