package org.pgsession.it.ops;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.PreparedQuery;
import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.SimpleQuery;
import org.pgsession.it.Await;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgTestExtension;

/**
 * pg_terminate_backend from another session during each operation kind: the operation gets
 * exactly one terminal callback, a queued operation gets SessionClosed, pgSessionShutdown once.
 */
@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class TerminateBackendTest {

  /**
   * @param start starts the operation on the victim session
   * @param op its receiver
   * @param inProgress SQL condition on pg_stat_activity, or null to wait on the receiver only
   * @param receiverReady extra receiver condition
   */
  private void terminateDuring(BiConsumer<Session, Rec> start, Rec op, String inProgress,
      java.util.function.BooleanSupplier receiverReady) {
    try (Sessions.Open admin = Sessions.open(); Sessions.Open victim = Sessions.open()) {
      Session s = victim.session();
      int pid = Ops.pid(s);
      start.accept(s, op);
      Rec queued = new Rec();
      s.execute(new SimpleQuery("SELECT 1"), queued);
      Await.until("operation in progress " + op.events, receiverReady);
      if (inProgress != null) {
        Ops.awaitBackend(admin.session(), pid, inProgress);
      }
      assertThat(op.terminal.get()).isZero();
      Ops.sql(admin.session(), "SELECT pg_terminate_backend(" + pid + ")");
      Await.until("victim shutdown", victim.events()::isShutdown);
      assertThat(op.terminal.get()).as("terminal callbacks of %s", op.events).isEqualTo(1);
      assertThat(queued.events).containsExactly("failed:SessionClosed");
      assertThat(victim.events().shutdownCount()).isEqualTo(1);
      assertThat(victim.events().events.get(victim.events().events.size() - 1)).isEqualTo("shutdown");
      Rec after = new Rec();
      s.execute(new SimpleQuery("SELECT 1"), after);
      assertThat(after.awaitFailureCode()).isEqualTo("SessionClosed");
    }
  }

  @Test
  void duringExecute() {
    Rec op = new Rec();
    terminateDuring((s, r) -> s.execute(new SimpleQuery("SELECT pg_sleep(30)"), r), op,
        "wait_event = 'PgSleep'", () -> true);
    assertThat(op.events).hasSize(1).allMatch(e -> e.startsWith("failed:"));
  }

  @Test
  void duringCopyIn() {
    Rec op = new Rec() {
      @Override
      public void pgCopyReady(Session s) {
        if (readyCalls.incrementAndGet() <= 5) {
          s.sendCopyData("1\n2\n3\n".getBytes());
        }
      }
    };
    terminateDuring((s, r) -> {
      Ops.sql(s, "CREATE TEMP TABLE ci(a int)");
      s.copyIn("COPY ci FROM STDIN", r);
    }, op, "state = 'active' AND query LIKE 'COPY ci%'", () -> op.readyCalls.get() > 5);
    assertThat(op.events).hasSize(1).allMatch(e -> e.startsWith("failed:"));
  }

  @Test
  void duringCopyOutOfASlowQuery() {
    Rec op = new Rec();
    terminateDuring((s, r) -> s.copyOut("COPY (SELECT pg_sleep(30)) TO STDOUT", r), op,
        "wait_event = 'PgSleep'", () -> true);
    assertThat(op.events).hasSize(1).allMatch(e -> e.startsWith("failed:"));
  }

  @Test
  void duringSuspendedStream() {
    Rec op = new Rec() {
      @Override
      public void pgStreamBatch(Session s, Rows rows) {
        super.pgStreamBatch(s, rows); // never fetches more: the portal stays suspended
      }
    };
    terminateDuring((s, r) -> s.stream(PreparedQuery.of("SELECT g FROM generate_series(1, 1000) g"), 10, r),
        op, null, () -> op.batches.size() == 1);
    assertThat(op.events).hasSize(2).startsWith("batch:10");
    assertThat(op.events.get(1)).startsWith("failed:");
  }

  @Test
  void duringPipelineWithASleepingQuery() {
    Rec op = new Rec();
    terminateDuring((s, r) -> s.pipeline(List.of(PreparedQuery.of("SELECT 1"), PreparedQuery.of("SELECT pg_sleep(30)"),
        PreparedQuery.of("SELECT 3"), PreparedQuery.of("SELECT 4")), r), op, "wait_event = 'PgSleep'", () -> true);
    assertThat(op.events).hasSize(5);
    assertThat(op.events.get(0)).isEqualTo("ok0");
    assertThat(op.events.get(1)).startsWith("fail1:");
    assertThat(op.events.subList(2, 5)).containsExactly("fail2:SessionClosed", "fail3:SessionClosed", "complete");
  }
}
