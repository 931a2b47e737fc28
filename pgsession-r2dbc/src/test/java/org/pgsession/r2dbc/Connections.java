package org.pgsession.r2dbc;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Small blocking helpers for the driver's own tests (the TCK has its own). */
final class Connections {
  static final Duration WAIT = Duration.ofSeconds(60);
  private static ConnectionFactory factory;

  private Connections() {}

  static synchronized ConnectionFactory factory() {
    if (factory == null) {
      factory = TestDatabase.connectionFactory();
    }
    return factory;
  }

  static PgsessionConnection open() {
    return (PgsessionConnection) Mono.from(factory().create()).block(WAIT);
  }

  static void close(Connection c) {
    Mono.from(c.close()).block(WAIT);
  }

  /** Runs SQL without parameters and returns the rows' values, first column. */
  static List<Object> column(Connection c, String sql) {
    return Flux.from(c.createStatement(sql).execute()).concatMap(r -> r.map(row -> row.get(0)))
        .collectList().block(WAIT);
  }

  /** Runs SQL for its effect. */
  static void exec(Connection c, String sql) {
    Flux.from(c.createStatement(sql).execute()).concatMap(Result::getRowsUpdated).then().block(WAIT);
  }
}
