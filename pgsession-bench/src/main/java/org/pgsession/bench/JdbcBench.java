package org.pgsession.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * pgjdbc 42.7.8 with its defaults (blocking, one connection per thread). The binary variant sets
 * {@code prepareThreshold=-1} so results come in binary from the first execution.
 */
abstract class JdbcBench implements Bench {
  final Conf conf;
  final boolean binary;
  Connection conn;

  JdbcBench(Conf conf, boolean binary) {
    this.conf = conf;
    this.binary = binary;
  }

  static Bench create(String workload, Conf conf, boolean binary) {
    return switch (workload) {
      case "W1" -> new Point(conf);
      case "W2b" -> new Sink(conf);
      case "W3-buffered" -> new Wide(conf, binary, false, conf.w3Rows());
      case "W3-streamed" -> new Wide(conf, binary, true, conf.w3Rows());
      case "HEAP" -> new Wide(conf, binary, true, conf.heapRows());
      case "W4" -> new Copy(conf);
      case "W5-cold", "W5-reconnect", "W6" -> JdbcMany.create(workload, conf);
      default -> throw new IllegalArgumentException("pgjdbc has no workload " + workload);
    };
  }

  static Connection connect(Conf conf, boolean binary) throws SQLException {
    return connect(conf, conf.user(), binary);
  }

  static Connection connect(Conf conf, String user, boolean binary) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", conf.passwordOf(user));
    if (binary) {
      p.setProperty("prepareThreshold", "-1");
    }
    return DriverManager.getConnection(conf.jdbcUrl(), p);
  }

  static long count(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void sql(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  @Override
  public void open() throws Exception {
    conn = connect(conf, binary);
  }

  @Override
  public void close() throws Exception {
    if (conn != null) {
      conn.close();
    }
  }

  /** Runs one point query and returns its checksum contribution. */
  static long point(PreparedStatement ps, int key) throws SQLException {
    ps.setInt(1, key);
    long sum = 0;
    int rows = 0;
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        sum += rs.getInt(1) + rs.getString(2).length();
        rows++;
      }
    }
    if (rows != 1) {
      throw new Expected.ChecksumMismatch("point query returned " + rows + " rows");
    }
    return sum;
  }

  /** W1: one PreparedStatement, executed in a loop. */
  static final class Point extends JdbcBench {
    private PreparedStatement ps;
    private int key;

    Point(Conf conf) {
      super(conf, false);
    }

    @Override
    public void open() throws Exception {
      super.open();
      ps = conn.prepareStatement(Conf.POINT_SQL_JDBC);
    }

    @Override
    public long trial() throws Exception {
      long deadline = System.nanoTime() + conf.trialMillis() * 1_000_000;
      long expected = 0;
      long actual = 0;
      long n = 0;
      while (System.nanoTime() < deadline) {
        key = Expected.nextKey(key);
        expected += Expected.point(key);
        actual += point(ps, key);
        n++;
      }
      Expected.check("W1 sum of id + length(name)", expected, actual);
      return n;
    }
  }

  /** W2b: addBatch x100 + executeBatch, autocommit on. */
  static final class Sink extends JdbcBench {
    private PreparedStatement ps;
    private int id;

    Sink(Conf conf) {
      super(conf, false);
    }

    @Override
    public void open() throws Exception {
      super.open();
      ps = conn.prepareStatement(Conf.SINK_SQL_JDBC);
    }

    @Override
    public void beforeTrial() throws Exception {
      sql(conn, "TRUNCATE bench_sink");
      id = 0;
    }

    @Override
    public long trial() throws Exception {
      long deadline = System.nanoTime() + conf.trialMillis() * 1_000_000;
      long inserted = 0;
      while (System.nanoTime() < deadline) {
        for (int i = 0; i < Conf.BATCH; i++) {
          id++;
          ps.setInt(1, id);
          ps.setString(2, "name-" + id);
          ps.addBatch();
        }
        for (int c : ps.executeBatch()) {
          inserted += c;
        }
      }
      return inserted;
    }

    @Override
    public void afterTrial(long ops) throws Exception {
      Expected.check("W2b rows in bench_sink", ops, count(conn, "SELECT count(*) FROM bench_sink"));
    }
  }

  /**
   * W3 buffered or streamed (fetchSize 1000, autocommit off), on a fresh connection per trial:
   * pgjdbc switches a statement to server-prepared binary after 5 executions, so a reused
   * connection would change modes in the middle of the measured trials.
   */
  static final class Wide extends JdbcBench {
    private final boolean streamed;
    private final int rows;

    Wide(Conf conf, boolean binary, boolean streamed, int rows) {
      super(conf, binary);
      this.streamed = streamed;
      this.rows = rows;
    }

    @Override
    public void open() {
    }

    @Override
    public void beforeTrial() throws Exception {
      close();
      conn = connect(conf, binary);
      if (streamed) {
        conn.setAutoCommit(false);
      }
    }

    @Override
    public long trial() throws Exception {
      WideSum sum = new WideSum();
      try (PreparedStatement ps = conn.prepareStatement(Conf.wideSql(rows))) {
        if (streamed) {
          ps.setFetchSize(Conf.WINDOW);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            sum.add(rs.getInt(1), rs.getLong(2), rs.getString(3), rs.getDouble(4),
                rs.getObject(5, OffsetDateTime.class));
          }
        }
      }
      if (streamed) {
        conn.commit();
      }
      sum.verify(Expected.wide(rows));
      return sum.rows;
    }
  }

  /** W4: CopyManager.copyIn with one writeToCopy per 64 KiB chunk. */
  static final class Copy extends JdbcBench {
    private List<byte[]> chunks;

    Copy(Conf conf) {
      super(conf, false);
    }

    @Override
    public void open() throws Exception {
      super.open();
      chunks = CopyPayload.chunks(conf.w4Rows());
    }

    @Override
    public void beforeTrial() throws Exception {
      sql(conn, "TRUNCATE bench_copy");
    }

    @Override
    public long trial() throws Exception {
      CopyIn in = conn.unwrap(PGConnection.class).getCopyAPI().copyIn(Conf.COPY_SQL);
      for (byte[] chunk : chunks) {
        in.writeToCopy(chunk, 0, chunk.length);
      }
      long n = in.endCopy();
      Expected.check("W4 COPY row count", (long) conf.w4Rows(), n);
      return n;
    }

    @Override
    public void afterTrial(long ops) throws Exception {
      Expected.check("W4 rows in bench_copy", ops, count(conn, "SELECT count(*) FROM bench_copy"));
    }
  }
}
