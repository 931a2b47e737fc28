package org.pgsession.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.Result;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * fetchSize streams: the server produces rows only as demand asks (a sequence advanced per row
 * produced shows how far the portal ran), and cancelling closes the stream so the connection goes on.
 */
class StreamingTest {
  private static PgsessionConnection c;

  @BeforeAll
  static void open() {
    c = Connections.open();
    Connections.exec(c, "DROP SEQUENCE IF EXISTS stream_seq");
    Connections.exec(c, "CREATE SEQUENCE stream_seq");
  }

  @AfterAll
  static void close() {
    Connections.exec(c, "DROP SEQUENCE stream_seq");
    Connections.close(c);
  }

  private static long produced() {
    PgsessionConnection other = Connections.open();
    try {
      return ((Number) Connections.column(other, "SELECT last_value FROM stream_seq").get(0)).longValue();
    } finally {
      Connections.close(other);
    }
  }

  @Test
  void demandDrivesWindowsAndCancelClosesTheStream() {
    Connections.exec(c, "ALTER SEQUENCE stream_seq RESTART WITH 1");
    Flux<Long> rows = Flux.from(c.createStatement("SELECT nextval('stream_seq') FROM generate_series(1, 100000)")
            .fetchSize(10).execute())
        .concatMap(r -> r.map(row -> row.get(0, Long.class)), 1);
    StepVerifier.create(rows, 0)
        .thenRequest(25)
        .expectNextCount(25)
        .then(() -> assertThat(produced()).as("rows produced after 25 were asked for").isBetween(25L, 50L))
        .thenRequest(10)
        .expectNextCount(10)
        .thenCancel()
        .verify(Connections.WAIT);
    long afterCancel = produced();
    assertThat(afterCancel).isBetween(35L, 60L);
    // the stream was closed: the connection runs the next statement, and the portal produced no more
    assertThat(Connections.column(c, "SELECT 7")).containsExactly(7);
    assertThat(produced()).isEqualTo(afterCancel);
  }

  @Test
  void streamedResultDeliversEveryRowInOrder() {
    List<Integer> all = Flux.from(c.createStatement("SELECT g FROM generate_series(1, $1) g").bind(0, 1234)
            .fetchSize(100).execute())
        .concatMap(r -> r.map(row -> row.get("g", Integer.class)))
        .collectList().block(Connections.WAIT);
    assertThat(all).hasSize(1234).startsWith(1, 2, 3).endsWith(1233, 1234).isSorted();
  }

  @Test
  void streamFailureArrivesAsR2dbcErrorAndTheConnectionGoesOn() {
    Flux<Object> rows = Flux.from(c.createStatement("SELECT 1 / (g - 3) FROM generate_series(1, 10) g")
            .fetchSize(1).execute())
        .concatMap((Result r) -> r.map(row -> row.get(0)));
    StepVerifier.create(rows)
        .expectNextCount(2)
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(PgsessionR2dbcException.class)
            .hasFieldOrPropertyWithValue("sqlState", "22012"))
        .verify(Connections.WAIT);
    assertThat(Connections.column(c, "SELECT 8")).containsExactly(8);
  }
}
