package org.pgsession.it.future;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.pgsession.it.future.FutureSessions.await;
import static org.pgsession.it.future.FutureSessions.failure;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.PgException;
import org.pgsession.Session;
import org.pgsession.TransactionStatus;
import org.pgsession.testkit.PgTestExtension;

/** {@code Session.inTransaction}: commit, rollback on a failed stage, rollback on a thrown exception. */
@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class TransactionTest {
  private final FutureSessions sessions = new FutureSessions();
  private Session s;

  @BeforeEach
  void table() {
    s = sessions.open();
    await(s.update("CREATE TEMP TABLE acct(id int4 PRIMARY KEY, v int4)"));
  }

  @AfterEach
  void closeAll() {
    sessions.close();
  }

  private long rows() {
    return await(s.query("SELECT count(*) FROM acct")).get(0).getLong(0);
  }

  @Test
  void commitsTheWorkAndReturnsItsValue() {
    TransactionStatus[] inside = new TransactionStatus[1];
    int value = await(s.inTransaction(tx -> tx.update("INSERT INTO acct VALUES (1, 10), (2, 20)")
        .thenCompose(n -> tx.query("SELECT sum(v)::int4 FROM acct"))
        .thenApply(r -> {
          inside[0] = tx.transactionStatus();
          return r.get(0).getInteger(0);
        })));
    assertThat(value).isEqualTo(30);
    assertThat(inside[0]).isEqualTo(TransactionStatus.IN_BLOCK);
    assertThat(s.transactionStatus()).isEqualTo(TransactionStatus.IDLE);
    assertThat(rows()).isEqualTo(2);
  }

  @Test
  void rollsBackAndReportsTheWorksOwnFailure() {
    Throwable t = failure(s.inTransaction(tx -> tx.update("INSERT INTO acct VALUES (1, 10)")
        .thenCompose(n -> tx.update("INSERT INTO acct VALUES (1, 11)"))));
    assertThat(t).isInstanceOf(PgException.class);
    assertThat(((PgException) t).sqlState()).as("the work's error, not ROLLBACK's").isEqualTo("23505");
    assertThat(s.transactionStatus()).isEqualTo(TransactionStatus.IDLE);
    assertThat(rows()).isZero();
  }

  @Test
  void rollsBackWhenTheWorkThrows() {
    IllegalStateException boom = new IllegalStateException("boom");
    Throwable t = failure(s.inTransaction(tx -> {
      tx.update("INSERT INTO acct VALUES (1, 10)");
      throw boom;
    }));
    assertThat(t).isSameAs(boom);
    Throwable later = failure(s.inTransaction(tx -> tx.update("INSERT INTO acct VALUES (2, 10)")
        .thenApply(n -> {
          throw new IllegalArgumentException("late boom");
        })));
    assertThat(later).isInstanceOf(IllegalArgumentException.class).hasMessage("late boom");
    assertThat(s.transactionStatus()).isEqualTo(TransactionStatus.IDLE);
    assertThat(rows()).isZero();
  }

  @Test
  void aSwallowedStatementFailureIsNotReportedAsCommitted() {
    Throwable t = failure(s.inTransaction(tx -> tx.update("INSERT INTO acct VALUES (1, 10)")
        .thenCompose(n -> tx.update("INSERT INTO acct VALUES (1, 11)"))
        .exceptionally(e -> -1L)));
    assertThat(t).isInstanceOf(PgException.class).hasMessageContaining("rolled back");
    assertThat(rows()).isZero();
    CompletableFuture<Integer> ok = s.inTransaction(tx -> CompletableFuture.completedFuture(5));
    assertThat(await(ok)).isEqualTo(5);
  }
}
