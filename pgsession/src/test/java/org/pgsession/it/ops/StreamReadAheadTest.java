package org.pgsession.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.PreparedQuery;
import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.TransactionStatus;
import org.pgsession.invariants.SessionInvariants;
import org.pgsession.it.Await;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgTestExtension;

/**
 * A stream keeps the server one window ahead of its receiver, never more: the window read ahead
 * is held until {@code fetchMore}, dropped by {@code closeStream}, and the extra Execute sent to
 * a portal that turns out to be finished never disturbs the transaction around it.
 */
@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class)
class StreamReadAheadTest {

  /** Rows are evaluated as the server produces them: nextval counts the rows computed so far. */
  private static String counted(String sequence) {
    return "SELECT nextval('" + sequence + "')::int8 FROM generate_series(1, 100)";
  }

  @Test
  void theServerIsExactlyOneWindowAheadUntilFetchMore() {
    try (Sessions.Open o = Sessions.open(); Sessions.Open admin = Sessions.open()) {
      windowsComputed(o.session(), admin.session(), "read_ahead_on_seq", 10);
    }
  }

  @Test
  void withReadAheadOffEachWindowWaitsForFetchMore() {
    try (Sessions.Open o = Sessions.open(Sessions.options().withStreamReadAhead(false));
        Sessions.Open admin = Sessions.open()) {
      windowsComputed(o.session(), admin.session(), "read_ahead_off_seq", 0);
    }
  }

  /**
   * Streams 100 counted rows in windows of 10, asking for two windows, then closing: after each
   * delivered window the server has computed exactly {@code ahead} rows more, and no more.
   */
  private static void windowsComputed(Session s, Session a, String sequence, int ahead) {
    Ops.sql(a, "DROP SEQUENCE IF EXISTS " + sequence);
    Ops.sql(a, "CREATE SEQUENCE " + sequence);
    int pid = Ops.pid(s);
    Rec r = new Rec(); // records batches, never asks for more by itself
    s.stream(PreparedQuery.of(counted(sequence)), 10, r);

    Await.until("first window", () -> r.batches.size() == 1);
    awaitWaitingForClient(a, pid, sequence, 10 + ahead); // window 1 delivered, read-ahead held
    assertThat(values(r.batches.get(0))).containsExactlyElementsOf(range(1, 10));

    s.fetchMore();
    Await.until("second window", () -> r.batches.size() == 2);
    assertThat(values(r.batches.get(1))).containsExactlyElementsOf(range(11, 20));
    awaitWaitingForClient(a, pid, sequence, 20 + ahead);

    s.closeStream(); // drops the window read ahead, if any
    r.await();
    assertThat(r.events).containsExactly("batch:10", "batch:10", "complete");
    assertThat(lastValue(a, sequence)).isEqualTo(20 + ahead);
    Ops.assertUsable(s);
    Ops.sql(a, "DROP SEQUENCE " + sequence);
  }

  @Test
  void aFinishedPortalAsksNothingMoreInsideATransactionBlock() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      Ops.sql(s, "BEGIN");
      for (int rows : new int[] {20, 25, 5}) { // an exact multiple, a remainder, one window
        StreamTest.Fetcher f = new StreamTest.Fetcher(-1, false);
        s.stream(PreparedQuery.of("SELECT g FROM generate_series(1, $1::int4) g", rows), 10, f);
        f.await();
        List<String> expected = new ArrayList<>();
        for (int left = rows; left > 0; left -= 10) {
          expected.add("batch:" + Math.min(10, left));
        }
        expected.add("complete");
        assertThat(f.events).containsExactlyElementsOf(expected);
        assertThat(s.transactionStatus()).isEqualTo(TransactionStatus.IN_BLOCK);
      }
      // portals that finish at the first Execute (no rows, or DML): no read-ahead at all
      Ops.sql(s, "CREATE TEMP TABLE read_ahead_t AS SELECT g FROM generate_series(1, 30) g");
      StreamTest.Fetcher dml = new StreamTest.Fetcher(-1, false);
      s.stream(PreparedQuery.of("UPDATE read_ahead_t SET g = g + 1"), 10, dml);
      assertThat(dml.await().events).containsExactly("complete");
      StreamTest.Fetcher returning = new StreamTest.Fetcher(-1, false);
      s.stream(PreparedQuery.of("UPDATE read_ahead_t SET g = g + 1 RETURNING g"), 10, returning);
      assertThat(returning.await().events).containsExactly("batch:10", "batch:10", "batch:10", "complete");
      assertThat(s.transactionStatus()).isEqualTo(TransactionStatus.IN_BLOCK);
      assertThat(Ops.sql(s, "SELECT sum(g)::int4 FROM read_ahead_t").rows().get(0).getInteger(0))
          .isEqualTo(465 + 60); // both updates applied once each
      Ops.sql(s, "COMMIT");
      assertThat(s.transactionStatus()).isEqualTo(TransactionStatus.IDLE);
    }
  }

  @Test
  void aFailureInTheWindowReadAheadEndsTheStreamOnce() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      Rec r = new Rec(); // holds window 1; the error is in window 2, computed ahead
      s.stream(PreparedQuery.of("SELECT 1/(g-15) FROM generate_series(1, 30) g"), 10, r);
      assertThat(r.awaitFailureCode()).isEqualTo("22012");
      assertThat(r.events).containsExactly("batch:10", "failed:22012");
      s.fetchMore(); // the stream has failed: a no-op
      Ops.assertUsable(s);
      assertThat(r.terminal.get()).isEqualTo(1);
    }
  }

  /** Waits until the backend waits for the client with {@code computed} rows evaluated. */
  private static void awaitWaitingForClient(Session admin, int pid, String sequence, long computed) {
    Await.until(sequence + " at " + computed, () -> lastValue(admin, sequence) >= computed);
    Ops.awaitBackend(admin, pid, "wait_event = 'ClientRead'");
    // waiting for input, the backend computes nothing more: the read-ahead is bounded
    assertThat(lastValue(admin, sequence)).isEqualTo(computed);
  }

  private static long lastValue(Session admin, String sequence) {
    return Ops.sql(admin, "SELECT last_value FROM " + sequence).rows().get(0).getLong(0);
  }

  private static List<Long> values(Rows rows) {
    List<Long> out = new ArrayList<>();
    rows.forEach(row -> out.add(row.getLong(0)));
    return out;
  }

  private static List<Long> range(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long v = from; v <= to; v++) {
      out.add(v);
    }
    return out;
  }
}
