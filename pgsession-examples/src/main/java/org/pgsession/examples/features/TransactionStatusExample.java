package org.pgsession.examples.features;

import org.pgsession.PgException;
import org.pgsession.Session;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;

/** The transaction status the server reports with every ReadyForQuery. */
public final class TransactionStatusExample implements Example {
  @Override
  public String name() {
    return "transaction-status";
  }

  @Override
  public String summary() {
    return "transactionStatus(): IDLE, IN_BLOCK, FAILED";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    try (Session session = env.open()) {
      env.out().println("after connect: " + session.transactionStatus());
      ExampleEnv.await(session.update("BEGIN"));
      env.out().println("after BEGIN: " + session.transactionStatus());
      try {
        ExampleEnv.await(session.query("SELECT 1 / 0"));
      } catch (PgException e) {
        // The status is as of the last ReadyForQuery, which follows the error: a failure can be
        // delivered before it is read, so the next statement is where FAILED shows for certain.
        env.out().println("an error (" + e.sqlState() + ") inside the block");
      }
      try {
        ExampleEnv.await(session.query("SELECT 1"));
      } catch (PgException e) {
        env.out().println("after an error (" + e.sqlState() + "): " + session.transactionStatus());
      }
      ExampleEnv.await(session.update("ROLLBACK"));
      env.out().println("after ROLLBACK: " + session.transactionStatus());
    }
  }
}
