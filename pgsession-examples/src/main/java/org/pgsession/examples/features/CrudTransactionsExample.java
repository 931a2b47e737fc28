package org.pgsession.examples.features;

import java.util.concurrent.CompletableFuture;
import org.pgsession.PgException;
import org.pgsession.Session;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;

/** Create, read, update, delete, with {@code inTransaction} committing or rolling back. */
public final class CrudTransactionsExample implements Example {
  @Override
  public String name() {
    return "crud-transactions";
  }

  @Override
  public String summary() {
    return "insert/select/update/delete and inTransaction (commit, rollback on failure)";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    try (Session session = env.open()) {
      ExampleEnv.await(session.update("CREATE TEMP TABLE account(id int4 PRIMARY KEY, owner text, balance int4)"));
      long inserted = ExampleEnv.await(session.update(
          "INSERT INTO account VALUES (1, 'alice', 100), (2, 'bob', 50)"));
      env.out().println("inserted " + inserted + " accounts");

      // A transfer: both updates or neither.
      ExampleEnv.await(session.inTransaction(tx -> tx.update("UPDATE account SET balance = balance - $1 WHERE id = 1", 30)
          .thenCompose(n -> tx.update("UPDATE account SET balance = balance + $1 WHERE id = 2", 30))));
      env.out().println("after transfer: " + balances(env, session));

      // A transfer that fails half-way is rolled back: the CHECK-like guard raises an error.
      CompletableFuture<Long> failed = session.inTransaction(tx -> tx.update(
          "UPDATE account SET balance = balance - $1 WHERE id = 1", 500)
          .thenCompose(n -> tx.update("SELECT 1 / (balance / abs(balance) + 1) FROM account WHERE id = 1")));
      try {
        ExampleEnv.await(failed);
      } catch (PgException e) {
        env.out().println("failed transfer rolled back (SQLSTATE " + e.sqlState() + ")");
      }
      env.out().println("after failed transfer: " + balances(env, session));

      long deleted = ExampleEnv.await(session.update("DELETE FROM account WHERE balance < $1", 75));
      env.out().println("deleted " + deleted + " account(s)");
    }
  }

  private static String balances(ExampleEnv env, Session session) throws Exception {
    StringBuilder sb = new StringBuilder();
    ExampleEnv.await(session.query("SELECT owner, balance FROM account ORDER BY id")).forEach(row ->
        sb.append(sb.length() == 0 ? "" : ", ").append(row.getString("owner")).append('=').append(row.getInteger("balance")));
    return sb.toString();
  }
}
