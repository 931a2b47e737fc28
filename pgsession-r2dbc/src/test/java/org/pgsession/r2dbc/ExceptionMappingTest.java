package org.pgsession.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import io.r2dbc.spi.R2dbcRollbackException;
import io.r2dbc.spi.R2dbcTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgsession.PgException;
import org.pgsession.testkit.TestRoles;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Server errors become the R2DBC exception of their SQLSTATE class, with the driver's exception as cause. */
class ExceptionMappingTest {
  private static PgsessionConnection c;

  @BeforeAll
  static void open() {
    c = Connections.open();
    Connections.exec(c, "DROP TABLE IF EXISTS err_t");
    Connections.exec(c, "CREATE TABLE err_t (id int PRIMARY KEY)");
    Connections.exec(c, "INSERT INTO err_t VALUES (1)");
  }

  @AfterAll
  static void close() {
    Connections.exec(c, "DROP TABLE err_t");
    Connections.close(c);
  }

  private static R2dbcException failure(Mono<?> work) {
    Throwable t = work.then(Mono.<Throwable>empty()).onErrorResume(Mono::just).block(Connections.WAIT);
    assertThat(t).isInstanceOf(R2dbcException.class);
    return (R2dbcException) t;
  }

  private static R2dbcException failure(String sql) {
    return failure(Flux.from(c.createStatement(sql).execute()).concatMap(r -> r.getRowsUpdated()).then());
  }

  @Test
  void uniqueViolationIsDataIntegrity() {
    R2dbcException e = failure("INSERT INTO err_t VALUES (1)");
    assertThat(e).isInstanceOf(R2dbcDataIntegrityViolationException.class);
    assertThat(e.getSqlState()).isEqualTo("23505");
    assertThat(e.getSql()).isEqualTo("INSERT INTO err_t VALUES (1)");
    assertThat(e.getCause()).isInstanceOf(PgException.class);
  }

  @Test
  void syntaxErrorAndUnknownTableAreBadGrammar() {
    assertThat(failure("SELEKT 1")).isInstanceOf(R2dbcBadGrammarException.class)
        .hasFieldOrPropertyWithValue("sqlState", "42601");
    assertThat(failure(Flux.from(c.createStatement("SELECT * FROM no_such_table WHERE x = $1").bind(0, 1).execute())
        .then())).isInstanceOf(R2dbcBadGrammarException.class).hasFieldOrPropertyWithValue("sqlState", "42P01");
  }

  @Test
  void missingPrivilegeIsPermissionDenied() {
    PgsessionConnection other = Connections.open();
    try {
      Connections.exec(other, "SET ROLE " + TestRoles.PASSWORD_USER);
      R2dbcException e = failure(Flux.from(other.createStatement("SELECT * FROM err_t").execute()).then());
      assertThat(e).isInstanceOf(R2dbcPermissionDeniedException.class).hasFieldOrPropertyWithValue("sqlState", "42501");
    } finally {
      Connections.close(other);
    }
  }

  @Test
  void statementTimeoutIsTimeout() {
    PgsessionConnection other = Connections.open();
    try {
      Mono.from(other.setStatementTimeout(Duration.ofMillis(200))).block(Connections.WAIT);
      R2dbcException e = failure(Flux.from(other.createStatement("SELECT pg_sleep(30)").execute()).then());
      assertThat(e).isInstanceOf(R2dbcTimeoutException.class).hasFieldOrPropertyWithValue("sqlState", "57014");
      assertThat(Connections.column(other, "SELECT 1")).containsExactly(1);
    } finally {
      Connections.close(other);
    }
  }

  @Test
  void commitOfAFailedBlockIsRollback() {
    PgsessionConnection other = Connections.open();
    try {
      Mono.from(other.beginTransaction()).block(Connections.WAIT);
      failure(Flux.from(other.createStatement("INSERT INTO err_t VALUES (1)").execute()).then());
      R2dbcException e = failure(Mono.from(other.commitTransaction()));
      assertThat(e).isInstanceOf(R2dbcRollbackException.class);
      assertThat(other.isAutoCommit()).isTrue();
    } finally {
      Connections.close(other);
    }
  }

  @Test
  void closedConnectionIsNonTransientResource() {
    PgsessionConnection other = Connections.open();
    Connections.close(other);
    assertThat(failure(Flux.from(other.createStatement("SELECT 1").execute()).then()))
        .isInstanceOf(R2dbcNonTransientResourceException.class);
  }

  @Test
  void badPasswordIsPermissionDenied() {
    String url = TestDatabase.url().replace(":" + TestRoles.SCRAM_PASSWORD + "@", ":wrong@");
    R2dbcException e = failure(Mono.from(io.r2dbc.spi.ConnectionFactories.get(url).create()));
    assertThat(e).isInstanceOf(R2dbcPermissionDeniedException.class);
    assertThat(e.getSqlState()).isEqualTo("28P01");
  }
}
