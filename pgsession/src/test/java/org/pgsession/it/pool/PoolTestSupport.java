package org.pgsession.it.pool;

import java.util.List;
import java.util.concurrent.CompletableFuture;
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
    return org.pgsession.it.Futures.await(f);
  }

  static Throwable failure(CompletableFuture<?> f) {
    return org.pgsession.it.Futures.failure(f);
  }
}
