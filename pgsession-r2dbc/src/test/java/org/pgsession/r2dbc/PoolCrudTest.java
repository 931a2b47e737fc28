package org.pgsession.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** r2dbc-pool on top of the driver: a small CRUD flow, found through the pool's own URL scheme. */
class PoolCrudTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  record Item(long id, String name, int qty) {}

  @Test
  void crudThroughThePoolUrl() {
    ConnectionFactory factory = ConnectionFactories.get(
        TestDatabase.url().replace("r2dbc:pgsession:", "r2dbc:pool:pgsession:") + "&initialSize=1&maxSize=3");
    assertThat(factory).isInstanceOf(ConnectionPool.class);
    ConnectionPool pool = (ConnectionPool) factory;
    try {
      run(pool, c -> c.createStatement("DROP TABLE IF EXISTS pool_items").execute());
      run(pool, c -> c.createStatement(
          "CREATE TABLE pool_items (id bigserial PRIMARY KEY, name text NOT NULL, qty int NOT NULL)").execute());

      // create, in one transaction, with a batch of binding sets and generated keys
      List<Long> ids = Flux.usingWhen(pool.create(), c -> Mono.from(c.beginTransaction())
              .thenMany(c.createStatement("INSERT INTO pool_items (name, qty) VALUES ($1, $2)")
                  .bind(0, "apple").bind(1, 3).add()
                  .bind(0, "pear").bind(1, 5).add()
                  .bind(0, "plum").bind(1, 7)
                  .returnGeneratedValues("id")
                  .execute())
              .concatMap(r -> r.map(row -> row.get("id", Long.class)))
              .concatWith(Mono.from(c.commitTransaction()).then(Mono.empty())),
          Connection::close).collectList().block(WAIT);
      assertThat(ids).hasSize(3).doesNotHaveDuplicates();

      // update and delete, counting the rows touched
      Long updated = Flux.usingWhen(pool.create(), c -> Flux.from(c.createStatement(
              "UPDATE pool_items SET qty = qty + 1 WHERE name = $1").bind("$1", "pear").execute())
              .concatMap(r -> r.getRowsUpdated()), Connection::close).blockLast(WAIT);
      assertThat(updated).isEqualTo(1L);
      Long deleted = Flux.usingWhen(pool.create(), c -> Flux.from(c.createStatement(
              "DELETE FROM pool_items WHERE id = $1").bind(0, ids.get(2)).execute())
              .concatMap(r -> r.getRowsUpdated()), Connection::close).blockLast(WAIT);
      assertThat(deleted).isEqualTo(1L);

      // read back
      List<Item> items = Flux.usingWhen(pool.create(), c -> Flux.from(c.createStatement(
              "SELECT id, name, qty FROM pool_items ORDER BY id").execute())
              .concatMap(r -> r.map(row -> new Item(row.get("id", Long.class), row.get("name", String.class),
                  row.get("qty", Integer.class)))), Connection::close).collectList().block(WAIT);
      assertThat(items).containsExactly(new Item(ids.get(0), "apple", 3), new Item(ids.get(1), "pear", 6));

      // the pool validated and reused its connections: no more than maxSize were opened
      assertThat(pool.getMetrics().orElseThrow().allocatedSize()).isBetween(1, 3);
      run(pool, c -> c.createStatement("DROP TABLE pool_items").execute());
    } finally {
      pool.disposeLater().block(WAIT);
    }
  }

  private static void run(ConnectionPool pool,
      java.util.function.Function<Connection, org.reactivestreams.Publisher<? extends io.r2dbc.spi.Result>> work) {
    Flux.usingWhen(pool.create(), c -> Flux.from(work.apply(c)).concatMap(r -> r.getRowsUpdated()),
        Connection::close).then().block(WAIT);
  }
}
