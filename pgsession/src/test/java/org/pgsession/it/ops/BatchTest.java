package org.pgsession.it.ops;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.ExtendedQuery;
import org.pgsession.PreparedQuery;
import org.pgsession.ResultSet;
import org.pgsession.Session;
import org.pgsession.TransactionStatus;
import org.pgsession.it.Await;
import org.pgsession.it.ResultRecorder;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgTestExtension;

/** Session.batch: one Sync for the whole list, so it commits or rolls back as a whole. */
@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class BatchTest {

  private static PreparedQuery insert(int id) {
    return PreparedQuery.of("INSERT INTO b VALUES ($1)", id);
  }

  private static long count(Session s) {
    return Ops.sql(s, "SELECT count(*) FROM b").rows().get(0).getLong(0);
  }

  private static Session withTable(Sessions.Open o) {
    Ops.sql(o.session(), "CREATE TEMP TABLE b(id int4 PRIMARY KEY)");
    return o.session();
  }

  @Test
  void successfulBatchCommitsEveryQuery() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = withTable(o);
      Rec r = new Rec();
      s.batch(List.of(insert(1), insert(2), PreparedQuery.of("SELECT count(*)::int4 FROM b"), insert(3)), r);
      r.await();
      assertThat(r.events).containsExactly("ok0", "ok1", "ok2", "ok3", "complete");
      assertThat(((ResultSet) r.results.get(2)).rows().get(0).getInteger(0)).isEqualTo(2);
      assertThat(count(s)).isEqualTo(3);
    }
  }

  @Test
  void failureRollsBackEarlierQueriesAndAbortsLaterOnes() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = withTable(o);
      List<ExtendedQuery> qs = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        qs.add(insert(i == 5 ? 0 : i)); // index 5 violates the primary key
      }
      Rec r = new Rec();
      s.batch(qs, r);
      r.await();
      assertThat(r.events).containsExactly("ok0", "ok1", "ok2", "ok3", "ok4", "fail5:23505", "fail6:PipelineAborted",
          "fail7:PipelineAborted", "fail8:PipelineAborted", "fail9:PipelineAborted", "complete");
      assertThat(count(s)).as("the earlier inserts were rolled back").isZero();
      assertThat(o.events().statuses).last().isEqualTo(TransactionStatus.IDLE);
    }
  }

  @Test
  void failureInsideTransactionBlockAbortsTheBlock() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = withTable(o);
      Ops.sql(s, "BEGIN");
      Ops.sql(s, "INSERT INTO b VALUES (100)");
      Rec r = new Rec();
      s.batch(List.of(insert(1), PreparedQuery.of("SELECT 1/0"), insert(2)), r);
      r.await();
      assertThat(r.events).containsExactly("ok0", "fail1:22012", "fail2:PipelineAborted", "complete");
      Rec after = new Rec();
      s.execute(PreparedQuery.of("SELECT 1"), after);
      assertThat(after.awaitFailureCode()).isEqualTo("25P02"); // in failed transaction block
      Ops.sql(s, "ROLLBACK");
      assertThat(count(s)).isZero();
    }
  }

  @Test
  void successInsideTransactionBlockStaysInTheBlock() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = withTable(o);
      Ops.sql(s, "BEGIN");
      Rec r = new Rec();
      s.batch(List.of(insert(1), insert(2)), r);
      r.await();
      assertThat(r.events).containsExactly("ok0", "ok1", "complete");
      Ops.sql(s, "ROLLBACK");
      assertThat(count(s)).isZero();
    }
  }

  @Test
  void emptyBatchCompletesAtOnce() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      Rec r = new Rec();
      s.batch(List.of(), r);
      assertThat(r.await().events).containsExactly("complete");
      Ops.assertUsable(s);
      assertThat(r.events).containsExactly("complete");
    }
  }

  @Test
  void queryThatCannotBeEncodedAbortsAndRollsBackTheBatch() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = withTable(o);
      Rec r = new Rec();
      s.batch(List.of(insert(1), PreparedQuery.of("INSERT INTO b VALUES ($1)", new Object()), insert(3)), r);
      r.await();
      assertThat(r.events).containsExactly("ok0", "fail1:DataError", "fail2:PipelineAborted", "complete");
      assertThat(count(s)).isZero();
      Rec nul = new Rec();
      s.batch(List.of(insert(1), PreparedQuery.of("SELECT 'nul\0'")), nul);
      nul.await();
      assertThat(nul.events).containsExactly("ok0", "fail1:DataError", "complete");
      assertThat(count(s)).isZero();
    }
  }

  @Test
  void commitFailureGoesToTheLastIndex() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      Ops.sql(s, "CREATE TEMP TABLE d(id int4 UNIQUE DEFERRABLE INITIALLY DEFERRED)");
      Rec r = new Rec();
      s.batch(List.of(PreparedQuery.of("INSERT INTO d VALUES (1)"), PreparedQuery.of("INSERT INTO d VALUES (1)")), r);
      r.await();
      assertThat(r.events).containsExactly("ok0", "fail1:23505", "complete");
      assertThat(Ops.sql(s, "SELECT count(*) FROM d").rows().get(0).getLong(0)).isZero();
    }
  }

  @Test
  void statementTimeoutAbortsTheRest() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = withTable(o);
      Rec r = new Rec();
      s.batch(List.of(insert(1), PreparedQuery.of("SELECT pg_sleep(10)"), insert(2)), r, Duration.ofMillis(200));
      r.await();
      assertThat(r.events).containsExactly("ok0", "fail1:57014", "fail2:PipelineAborted", "complete");
      assertThat(count(s)).isZero();
    }
  }

  @Test
  void closeMidBatchAnswersEveryIndexOnce() {
    Rec r = new Rec();
    try (Sessions.Open o = Sessions.open(); Sessions.Open admin = Sessions.open()) {
      Session s = withTable(o);
      int pid = Ops.pid(s);
      s.batch(List.of(insert(1), insert(2), PreparedQuery.of("SELECT pg_sleep(30)"), insert(3), insert(4)), r);
      Ops.awaitSleeping(admin.session(), pid);
      s.close();
      r.await();
    }
    // The server sends the first results only at the Sync (or never): they may be lost with it.
    assertThat(r.events).hasSize(6).endsWith("fail2:SessionClosed", "fail3:SessionClosed", "fail4:SessionClosed",
        "complete");
    assertThat(r.events.subList(0, 2)).isIn(List.of("ok0", "ok1"), List.of("fail0:SessionClosed", "fail1:SessionClosed"));
  }

  @Test
  void largeBatchIsWrittenInChunks() {
    int n = 20_000;
    try (Sessions.Open o = Sessions.open()) {
      Session s = withTable(o);
      List<ExtendedQuery> qs = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        qs.add(insert(i));
      }
      Rec r = new Rec();
      s.batch(qs, r);
      Await.until("batch complete", Duration.ofSeconds(120), () -> r.terminal.get() > 0);
      assertThat(r.events).hasSize(n + 1).endsWith("complete");
      assertThat(r.failures).isEmpty();
      assertThat(count(s)).isEqualTo(n);
    }
  }

  @Test
  void pipelineKeepsOneSyncPerQuery() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = withTable(o);
      Rec r = new Rec();
      s.pipeline(List.of(insert(1), insert(1), insert(2)), r, null);
      r.await();
      assertThat(r.events).containsExactly("ok0", "fail1:23505", "ok2", "complete");
      assertThat(count(s)).as("index 1 failing does not undo 0 or 2").isEqualTo(2);
    }
  }

  @Test
  void pipelineReportsACommitFailureAfterCommandComplete() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      Ops.sql(s, "CREATE TEMP TABLE d(id int4 UNIQUE DEFERRABLE INITIALLY DEFERRED)");
      Rec r = new Rec();
      s.pipeline(List.of(PreparedQuery.of("INSERT INTO d VALUES (1), (1)"), PreparedQuery.of("INSERT INTO d VALUES (2)")),
          r);
      r.await();
      assertThat(r.events).containsExactly("fail0:23505", "ok1", "complete");
      ResultRecorder check = new ResultRecorder();
      s.execute(PreparedQuery.of("SELECT count(*)::int4 FROM d"), check);
      assertThat(((ResultSet) check.awaitResult()).rows().get(0).getInteger(0)).isEqualTo(1);
    }
  }

  @Test
  void listsPrepareTheirNewStatementsOnceThenRunThemCached() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = withTable(o);
      List<ExtendedQuery> qs = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        qs.add(PreparedQuery.of("SELECT $1::int4 + 1, $2::text", i, "t" + i));
        qs.add(insert(i));
      }
      for (int round = 0; round < 2; round++) {
        Rec r = new Rec();
        if (round == 0) {
          s.batch(qs, r);
        } else {
          Ops.sql(s, "TRUNCATE b");
          s.pipeline(qs, r);
        }
        r.await();
        assertThat(r.failures).isEmpty();
        assertThat(r.events).hasSize(101);
        ResultSet last = (ResultSet) r.results.get(98);
        assertThat(last.rows().get(0).getInteger(0)).isEqualTo(50);
        assertThat(last.rows().get(0).getString(1)).isEqualTo("t49");
        assertThat(count(s)).isEqualTo(50);
      }
      ResultSet cached = Ops.sql(s, "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE '\\_pgs%'"
          + " AND statement IN ('SELECT $1::int4 + 1, $2::text', 'INSERT INTO b VALUES ($1)')");
      assertThat(cached.rows().get(0).getLong(0)).as("each statement prepared once, by the first list").isEqualTo(2);
    }
  }

  @Test
  void aStatementThatFailsToPrepareFailsInItsTurn() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      Rec r = new Rec();
      s.pipeline(List.of(PreparedQuery.of("SELECT 1"), PreparedQuery.of("SELEKT 1"), PreparedQuery.of("SELECT $1::int4", 7)),
          r);
      r.await();
      assertThat(r.events).containsExactly("ok0", "fail1:42601", "ok2", "complete");
      Rec b = new Rec();
      s.batch(List.of(PreparedQuery.of("SELECT 2"), PreparedQuery.of("SELEKT 2"), PreparedQuery.of("SELECT 3")), b);
      b.await();
      assertThat(b.events).containsExactly("ok0", "fail1:42601", "fail2:PipelineAborted", "complete");
      Ops.assertUsable(s);
    }
  }
}
