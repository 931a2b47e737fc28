package org.pgsession.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.pgsession.AuthRequirement;
import org.pgsession.Column;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.PreparedQuery;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultReceiver;
import org.pgsession.ResultSet;
import org.pgsession.Row;
import org.pgsession.RowModifying;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SessionStatusNotify;
import org.pgsession.SimpleQuery;
import org.pgsession.testkit.PgCluster;
import org.pgsession.testkit.TestRoles;

/**
 * A first tour of pgsession: connect, run a few statements, print rows as a table.
 *
 * <p>Uses the server named by {@code PGHOST}/{@code PGPORT}/{@code PGUSER}/{@code PGPASSWORD}/
 * {@code PGDATABASE} when {@code PGHOST} is set; otherwise starts an embedded PostgreSQL with the
 * testkit (binaries from Maven Central, nothing to install).
 */
public final class Quickstart {
  private Quickstart() {}

  /**
   * Runs the tour.
   *
   * @param args ignored
   * @throws Exception if something fails; the message says what
   */
  public static void main(String[] args) throws Exception {
    PgCluster embedded = null;
    ServerConnectInfo server;
    DatabaseConnectInfo database;
    String host = System.getenv("PGHOST");
    if (host != null && !host.isBlank()) {
      server = ServerConnectInfo.of(host, Integer.parseInt(env("PGPORT", "5432")))
          .withAuthRequirement(AuthRequirement.ALLOW_ANY);
      database = new DatabaseConnectInfo(env("PGUSER", System.getProperty("user.name")), env("PGPASSWORD", ""),
          env("PGDATABASE", env("PGUSER", System.getProperty("user.name"))));
      System.out.println("Using the server at " + host + ":" + server.port());
    } else {
      System.out.println("PGHOST not set: starting an embedded PostgreSQL (first run extracts the binaries)...");
      embedded = PgCluster.start();
      server = ServerConnectInfo.of(embedded.host(), embedded.port());
      database = new DatabaseConnectInfo(TestRoles.SCRAM_USER, TestRoles.SCRAM_PASSWORD, TestRoles.DATABASE);
    }
    try {
      run(server.withConnectionTimeout(Duration.ofSeconds(30)), database);
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private static void run(ServerConnectInfo server, DatabaseConnectInfo database) throws Exception {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    Session session = Session.connect(server, database, new SessionStatusNotify() {
      @Override
      public void pgSessionAuthenticated(Session s) {
        ready.complete(null);
      }

      @Override
      public void pgSessionConnectionFailed(Session s, ConnectionFailureReason reason) {
        ready.completeExceptionally(new IllegalStateException("connection failed: " + reason));
      }

      @Override
      public void pgSessionShutdown(Session s) {
        closed.complete(null);
      }
    });
    ready.get(60, TimeUnit.SECONDS);
    System.out.println("Connected and authenticated as " + database.user() + ".");

    List<Query> tour = List.of(
        new SimpleQuery("SELECT version()"),
        new SimpleQuery("CREATE TEMP TABLE fruit(id int PRIMARY KEY, name text, price numeric(6,2))"),
        PreparedQuery.of("INSERT INTO fruit VALUES ($1, $2, $3), ($4, $5, $6), ($7, $8, $9)",
            1, "apple", new java.math.BigDecimal("0.50"), 2, "banana", new java.math.BigDecimal("0.25"),
            3, "cherry", new java.math.BigDecimal("4.00")),
        PreparedQuery.of("SELECT id, name, price FROM fruit WHERE price < $1 ORDER BY id",
            new java.math.BigDecimal("1.00")));
    // Operations queue in call order; wait for the last one's answer.
    List<CompletableFuture<Void>> answers = new ArrayList<>();
    for (Query q : tour) {
      CompletableFuture<Void> answer = new CompletableFuture<>();
      answers.add(answer);
      session.execute(q, new ResultReceiver() {
        @Override
        public void pgQueryResult(Session s, Result result) {
          print(result);
          answer.complete(null);
        }

        @Override
        public void pgQueryFailed(Session s, Query query, QueryFailure failure) {
          answer.completeExceptionally(new IllegalStateException("query failed: " + failure));
        }
      });
    }
    for (CompletableFuture<Void> a : answers) {
      a.get(60, TimeUnit.SECONDS);
    }
    session.close();
    closed.get(30, TimeUnit.SECONDS);
    System.out.println("Session closed.");
  }

  private static void print(Result result) {
    if (result instanceof RowModifying rm) {
      System.out.println(rm.command() + " " + rm.impacted());
    } else if (result instanceof ResultSet rs) {
      List<Column> cols = rs.rows().columns();
      int[] widths = new int[cols.size()];
      for (int i = 0; i < widths.length; i++) {
        widths[i] = cols.get(i).name().length();
        for (Row r : rs.rows()) {
          widths[i] = Math.max(widths[i], String.valueOf(r.get(i)).length());
        }
      }
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        sb.append(i == 0 ? "" : " | ").append(pad(cols.get(i).name(), widths[i]));
      }
      sb.append('\n');
      for (int i = 0; i < widths.length; i++) {
        sb.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
      }
      for (Row r : rs.rows()) {
        sb.append('\n');
        for (int i = 0; i < widths.length; i++) {
          sb.append(i == 0 ? "" : " | ").append(pad(String.valueOf(r.get(i)), widths[i]));
        }
      }
      System.out.println(sb.append("\n(").append(rs.rows().size()).append(" rows)\n"));
    }
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
