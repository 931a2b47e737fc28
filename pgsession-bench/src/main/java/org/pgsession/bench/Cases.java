package org.pgsession.bench;

import java.util.List;

/**
 * Every (workload, client) the run measures, in report order. A case is one fresh JVM per round.
 * The report compares the clients of one workload side by side.
 */
public final class Cases {
  /** pgsession, the driver under test. */
  public static final String PGSESSION = "pgsession";
  /** pgjdbc 42.7.8 with its defaults. */
  public static final String PGJDBC = "pgjdbc";
  /** pgjdbc with prepareThreshold=-1 (binary results from the first execution). */
  public static final String PGJDBC_BINARY = "pgjdbc-binary";
  /** Vert.x pg client 5.0.5, cachePreparedStatements, pipelining limit 256. */
  public static final String VERTX = "vertx";

  /** All cases in report order. */
  public static final List<Case> ALL = List.of(
      new Case("W1", PGSESSION, "execute(PreparedQuery), one at a time"),
      new Case("W1", PGJDBC, "PreparedStatement.executeQuery, one at a time"),
      new Case("W1", VERTX, "preparedQuery().execute(), chained"),
      new Case("W2-pipelined", PGSESSION, "execute with pipelining on, 256 in flight"),
      new Case("W2-pipelined", VERTX, "pipeliningLimit 256, 256 in flight"),
      new Case("W2-batch", PGSESSION, "batch of 100, one batch at a time"),
      new Case("W2-batch", VERTX, "executeBatch of 100, one batch at a time"),
      new Case("W2-pipeline", PGSESSION, "pipeline of 100 (Sync per query), one at a time"),
      new Case("W2b", PGSESSION, "batch of 100 INSERTs"),
      new Case("W2b", PGJDBC, "addBatch x100 + executeBatch"),
      new Case("W2b", VERTX, "executeBatch of 100"),
      new Case("W3-buffered", PGSESSION, "execute(PreparedQuery), all rows"),
      new Case("W3-buffered", PGJDBC, "executeQuery, defaults (text results)"),
      new Case("W3-buffered", PGJDBC_BINARY, "executeQuery, prepareThreshold=-1 (binary)"),
      new Case("W3-buffered", VERTX, "preparedQuery().execute(), all rows"),
      new Case("W3-streamed", PGSESSION, "stream(query, 1000) + fetchMore"),
      new Case("W3-streamed", PGJDBC, "fetchSize 1000 in a transaction"),
      new Case("W3-streamed", VERTX, "cursor.read(1000) in a transaction"),
      new Case("W4", PGSESSION, "copyIn, 64 KiB sendCopyData per pgCopyReady"),
      new Case("W4", PGJDBC, "CopyManager.copyIn + writeToCopy 64 KiB"),
      new Case("W5-cold", PGSESSION, "Session.open + closeAsync, a new role each time"),
      new Case("W5-cold", PGJDBC, "DriverManager.getConnection + close, a new role each time"),
      new Case("W5-cold", VERTX, "PgConnection.connect + close, a new role each time"),
      new Case("W5-reconnect", PGSESSION, "Session.open + closeAsync, same role"),
      new Case("W5-reconnect", PGJDBC, "DriverManager.getConnection + close, same role"),
      new Case("W5-reconnect", VERTX, "PgConnection.connect + close, same role"),
      new Case("W6", PGSESSION, "200 sessions, 100 chained queries each"),
      new Case("W6", PGJDBC, "200 connections, one platform thread each"),
      new Case("W6", VERTX, "200 PgConnections on one Vertx, chained"));

  /** Clients of the smallest-heap stream search, with how each streams. */
  public static final List<Case> HEAP = List.of(
      new Case("HEAP", PGSESSION, "stream(query, 1000)"),
      new Case("HEAP", PGJDBC, "fetchSize 1000 in a transaction"),
      new Case("HEAP", VERTX, "cursor.read(1000) in a transaction"));

  private Cases() {
  }

  /**
   * Finds a case by its id.
   *
   * @param id {@code workload/client}
   * @return the case
   * @throws IllegalArgumentException if unknown
   */
  public static Case byId(String id) {
    for (Case c : ALL) {
      if (c.id().equals(id)) {
        return c;
      }
    }
    for (Case c : HEAP) {
      if (c.id().equals(id)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown case " + id);
  }

  /**
   * Creates the benchmark of a case.
   *
   * @param c the case
   * @param conf the configuration
   * @return the benchmark, not yet opened
   */
  public static Bench create(Case c, Conf conf) {
    return switch (c.client()) {
      case PGSESSION -> PgSessionBench.create(c.workload(), conf);
      case PGJDBC -> JdbcBench.create(c.workload(), conf, false);
      case PGJDBC_BINARY -> JdbcBench.create(c.workload(), conf, true);
      case VERTX -> VertxBench.create(c.workload(), conf);
      default -> throw new IllegalArgumentException("unknown client " + c.client());
    };
  }

  /**
   * One measured (workload, client) pair.
   *
   * @param workload W1, W2-pipelined, ...
   * @param client one of the client constants
   * @param how how the client runs it
   */
  public record Case(String workload, String client, String how) {
    /**
     * The id used on the command line and in result lines.
     *
     * @return {@code workload/client}
     */
    public String id() {
      return workload + "/" + client;
    }
  }
}
