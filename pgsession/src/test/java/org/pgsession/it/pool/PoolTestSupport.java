package org.pgsession.it.pool;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.pgsession.ConnectConfig;
import org.pgsession.PgPool;
import org.pgsession.PoolOptions;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.it.Sessions;

/** Pools against the plain test cluster, each with its own application_name so tests can find its backends. */
final class PoolTestSupport {
  private static final AtomicInteger SEQ = new AtomicInteger();

  private PoolTestSupport() {}

  /** @return a unique application_name */
  static String newName() {
    return "pooltest-" + SEQ.incrementAndGet();
  }

  /** @return a config whose sessions carry that application_name */
  static ConnectConfig config(String applicationName) {
    return ConnectConfig.of(List.of(Sessions.plain()), Sessions.superuser(),
        SessionOptions.defaults().withStartupParameter("application_name", applicationName));
  }

  /** @return a pool whose sessions carry that application_name */
  static PgPool pool(String applicationName, PoolOptions options) {
    return PgPool.create(config(applicationName), options);
  }

  /** @return a ready admin session (closed by the caller) */
  static Session admin() {
    return await(Session.open(Sessions.plain(), Sessions.superuser()));
  }

  /** @return the number of backends with that application_name */
  static long backends(Session admin, String applicationName) {
    return await(admin.query("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", applicationName))
        .get(0).getLong(0);
  }

  /** Terminates every backend with that application_name. @return how many */
  static long terminateAll(Session admin, String applicationName) {
    return await(admin.query("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
        + " WHERE application_name = $1", applicationName)).get(0).getLong(0);
  }

  static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(120, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new CompletionException(e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("future did not complete within 120 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  static Throwable failure(CompletableFuture<?> f) {
    try {
      await(f);
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("the future succeeded");
  }
}
