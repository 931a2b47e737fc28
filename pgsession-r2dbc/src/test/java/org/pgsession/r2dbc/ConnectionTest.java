package org.pgsession.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.TransactionDefinition;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Transactions, isolation levels, auto-commit off, savepoints and metadata beyond the TCK. */
class ConnectionTest {
  private PgsessionConnection c;

  @BeforeEach
  void open() {
    c = Connections.open();
  }

  @AfterEach
  void close() {
    Connections.close(c);
  }

  private static <T> T block(org.reactivestreams.Publisher<T> p) {
    return Mono.from(p).block(Connections.WAIT);
  }

  @Test
  void isolationLevelIsTheSessionsDefaultForLaterBlocks() {
    assertThat(c.getTransactionIsolationLevel()).isEqualTo(IsolationLevel.READ_COMMITTED);
    block(c.setTransactionIsolationLevel(IsolationLevel.SERIALIZABLE));
    assertThat(c.getTransactionIsolationLevel()).isEqualTo(IsolationLevel.SERIALIZABLE);
    block(c.beginTransaction());
    assertThat(Connections.column(c, "SHOW transaction_isolation")).containsExactly("serializable");
    block(c.commitTransaction());
  }

  @Test
  void transactionDefinitionSetsLevelReadOnlyAndLockTimeout() {
    TransactionDefinition definition = new TransactionDefinition() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> T getAttribute(io.r2dbc.spi.Option<T> option) {
        if (option.equals(TransactionDefinition.ISOLATION_LEVEL)) {
          return (T) IsolationLevel.REPEATABLE_READ;
        }
        if (option.equals(TransactionDefinition.READ_ONLY)) {
          return (T) Boolean.TRUE;
        }
        if (option.equals(TransactionDefinition.LOCK_WAIT_TIMEOUT)) {
          return (T) Duration.ofMillis(1500);
        }
        return null;
      }
    };
    block(c.beginTransaction(definition));
    assertThat(c.isAutoCommit()).isFalse();
    assertThat(Connections.column(c, "SHOW transaction_isolation")).containsExactly("repeatable read");
    assertThat(Connections.column(c, "SHOW transaction_read_only")).containsExactly("on");
    assertThat(Connections.column(c, "SHOW lock_timeout")).containsExactly("1500ms");
    Throwable e = Flux.from(c.createStatement("CREATE TEMP TABLE ro_t (a int)").execute()).then()
        .then(Mono.<Throwable>empty()).onErrorResume(Mono::just).block(Connections.WAIT);
    assertThat(e).isInstanceOf(R2dbcException.class);
    assertThat(((R2dbcException) e).getSqlState()).isEqualTo("25006");
    block(c.rollbackTransaction());
    assertThat(c.isAutoCommit()).isTrue();
    assertThat(Connections.column(c, "SHOW lock_timeout")).containsExactly("0");
  }

  @Test
  void autoCommitOffBeginsABlockBeforeEachStatementOutsideOne() {
    block(c.setAutoCommit(false));
    Connections.exec(c, "CREATE TEMP TABLE ac_t (a int)");
    assertThat(c.isAutoCommit()).isFalse();
    assertThat(c.session().transactionStatus()).isEqualTo(org.pgsession.TransactionStatus.IN_BLOCK);
    block(c.commitTransaction());
    Connections.exec(c, "INSERT INTO ac_t VALUES (1)");
    block(c.rollbackTransaction()); // the insert ran in a new block
    assertThat(Connections.column(c, "SELECT count(*) FROM ac_t")).containsExactly(0L);
    block(c.setAutoCommit(true)); // commits the block the SELECT began
    assertThat(c.session().transactionStatus()).isEqualTo(org.pgsession.TransactionStatus.IDLE);
  }

  @Test
  void releasedSavepointKeepsItsWork() {
    block(c.createSavepoint("sp \"one\""));
    Connections.exec(c, "CREATE TEMP TABLE sp_t (a int)");
    block(c.releaseSavepoint("sp \"one\""));
    block(c.commitTransaction());
    assertThat(Connections.column(c, "SELECT count(*) FROM sp_t")).containsExactly(0L);
  }

  @Test
  void metadataNamesTheServer() {
    assertThat(c.getMetadata().getDatabaseProductName()).isEqualTo("PostgreSQL");
    assertThat(c.getMetadata().getDatabaseVersion()).matches("\\d+.*");
    assertThat(Connections.factory().getMetadata().getName()).isEqualTo("PostgreSQL");
  }

  @Test
  void batchRunsEveryStatementInOneQuery() {
    Long counted = Flux.from(c.createBatch().add("CREATE TEMP TABLE b_t (a int)")
            .add("INSERT INTO b_t VALUES (1), (2)").add("UPDATE b_t SET a = a + 1").execute())
        .concatMap(r -> r.getRowsUpdated()).reduce(0L, Long::sum).block(Connections.WAIT);
    assertThat(counted).isEqualTo(4L);
  }
}
