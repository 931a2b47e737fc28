package org.pgsession.it.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.pgsession.PgException;
import org.pgsession.PgPool;
import org.pgsession.PoolOptions;
import org.pgsession.ServerConnectInfo;
import org.pgsession.TargetSessionAttrs;
import org.pgsession.it.Await;
import org.pgsession.it.Futures;
import org.pgsession.testkit.PgReplicaSet;

/**
 * A pool over [primary, standby] with target_session_attrs=read-write heals after a failover:
 * stop the primary, promote the standby, and the next borrowers get the new primary with no
 * manual step (dead sessions are discarded, the Opener walks the host list again).
 */
class PoolFailoverTest {
  private static final int POOL_SIZE = 3;

  @Test
  void afterThePrimaryStopsAndTheStandbyIsPromotedThePoolUsesTheNewPrimary() {
    try (PgReplicaSet set = PgReplicaSet.start()) {
      ServerConnectInfo primary = Replicas.primary(set);
      ServerConnectInfo standby = Replicas.standby(set);
      PoolOptions options = PoolOptions.defaults().withMaxSize(POOL_SIZE).withMinIdle(POOL_SIZE)
          .withAcquireTimeout(Duration.ofSeconds(60));
      try (PgPool pool = PgPool.create(Replicas.config(TargetSessionAttrs.READ_WRITE, standby, primary), options)) {
        assertThat(port(pool)).isEqualTo(primary.port());
        Futures.await(pool.update("CREATE TABLE failover (v int)"));
        Futures.await(pool.update("INSERT INTO failover VALUES (1)"));
        Await.until("the pool holds " + POOL_SIZE + " sessions", () -> pool.stats().total() == POOL_SIZE);
        try (PgPool standbyReader = PgPool.create(Replicas.config(TargetSessionAttrs.STANDBY, primary, standby),
            options.withMinIdle(0))) {
          Await.until("the row reaches the standby", () -> Futures.await(
              standbyReader.query("SELECT count(*) FROM pg_class WHERE relname = 'failover'")).get(0).getLong(0) == 1L
              && Futures.await(standbyReader.query("SELECT count(*) FROM failover")).get(0).getLong(0) == 1L);
        }

        set.primary().close(); // fast shutdown: every pooled session is terminated
        set.standby().promote();

        List<Throwable> failures = new ArrayList<>();
        int[] landed = new int[1];
        Await.until("a borrower reaches the new primary", Duration.ofSeconds(90), () -> {
          try {
            landed[0] = port(pool);
            return true;
          } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(PgException.class); // a session that died with the primary
            failures.add(e.getCause());
            return false;
          }
        });
        assertThat(landed[0]).isEqualTo(standby.port());
        // At most one failed borrow per session that was pooled when the primary stopped.
        assertThat(failures).as("failed borrows").hasSizeLessThanOrEqualTo(POOL_SIZE);
        Futures.await(pool.update("INSERT INTO failover VALUES (2)")); // writes are accepted again
        assertThat(Futures.await(pool.query("SELECT sum(v) FROM failover")).get(0).getLong(0)).isEqualTo(3L);
        for (int i = 0; i < 2 * POOL_SIZE; i++) {
          assertThat(port(pool)).isEqualTo(standby.port());
        }
      }
    }
  }

  private static int port(PgPool pool) {
    return Futures.await(pool.query("SELECT inet_server_port()")).get(0).getInteger(0);
  }
}
