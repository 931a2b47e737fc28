package org.pgsession.examples;

import java.math.BigDecimal;
import java.util.List;
import org.pgsession.Column;
import org.pgsession.Row;
import org.pgsession.Rows;
import org.pgsession.Session;

/**
 * A first tour of pgsession: open a session, create a table, insert in a transaction, query, and
 * print the rows as a table.
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
    if (System.getenv("PGHOST") == null || System.getenv("PGHOST").isBlank()) {
      System.out.println("PGHOST not set: starting an embedded PostgreSQL (first run extracts the binaries)...");
    }
    ExampleEnv env = ExampleEnv.create(System.out);
    try (Session session = env.open()) {
      System.out.println("Connected to PostgreSQL " + session.parameter("server_version") + " as "
          + env.database().user() + ".");
      ExampleEnv.await(session.update(
          "CREATE TEMP TABLE fruit(id int PRIMARY KEY, name text, price numeric(6,2))"));
      long inserted = ExampleEnv.await(session.inTransaction(tx ->
          tx.update("INSERT INTO fruit VALUES ($1, $2, $3), ($4, $5, $6), ($7, $8, $9)",
              1, "apple", new BigDecimal("0.50"), 2, "banana", new BigDecimal("0.25"),
              3, "cherry", new BigDecimal("4.00"))));
      System.out.println("INSERT " + inserted);
      print(ExampleEnv.await(session.query("SELECT id, name, price FROM fruit WHERE price < $1 ORDER BY id",
          new BigDecimal("1.00"))));
    }
    System.out.println("Session closed.");
    System.exit(0); // the embedded server stops with the JVM
  }

  private static void print(Rows rows) {
    List<Column> cols = rows.columns();
    int[] widths = new int[cols.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = cols.get(i).name().length();
      for (Row r : rows) {
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
    for (Row r : rows) {
      sb.append('\n');
      for (int i = 0; i < widths.length; i++) {
        sb.append(i == 0 ? "" : " | ").append(pad(String.valueOf(r.get(i)), widths[i]));
      }
    }
    System.out.println(sb.append("\n(").append(rows.size()).append(" rows)\n"));
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }
}
