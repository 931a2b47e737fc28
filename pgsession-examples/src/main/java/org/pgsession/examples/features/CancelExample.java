package org.pgsession.examples.features;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.pgsession.PgException;
import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;

/** Cancels a running statement; the session stays usable. */
public final class CancelExample implements Example {
  @Override
  public String name() {
    return "cancel";
  }

  @Override
  public String summary() {
    return "cancel() the operation in flight (CancelRequest on its own connection)";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    try (Session session = env.open(); Session watcher = env.open()) {
      CompletableFuture<Rows> slow = session.query("SELECT pg_sleep(30)");
      awaitRunning(watcher, session.backendPid());
      env.out().println("cancelling a 30 s sleep...");
      session.cancel();
      try {
        ExampleEnv.await(slow);
        env.out().println("not cancelled?");
      } catch (PgException e) {
        env.out().println("cancelled: SQLSTATE " + e.sqlState());
      }
      env.out().println(ExampleEnv.await(session.query("SELECT 'still usable' AS state")).get(0).getString("state"));
    }
  }

  /** Waits until the server runs the sleep: a CancelRequest that arrives earlier hits nothing. */
  static void awaitRunning(Session watcher, int pid) throws Exception {
    long deadline = System.nanoTime() + ExampleEnv.WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Rows rows = ExampleEnv.await(watcher.query(
          "SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active' AND query LIKE '%pg_sleep%'", pid));
      if (rows.size() > 0) {
        return;
      }
      Thread.sleep(Duration.ofMillis(20).toMillis()); // polling a condition, not a timing assumption
    }
    throw new IllegalStateException("the statement never started");
  }
}
