package org.pgsession.it.ops;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.Session;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgTestExtension;

@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class CopyTest {

  /** Sends rows 0..rows-1 in chunks; optionally a bad line or an abort after some chunks. */
  static class RowsIn extends Rec {
    final int rows;
    final int perChunk;
    final String badLine;
    final String abortReason;
    final int stopAfterChunks;
    int next;
    int chunks;

    RowsIn(int rows, int perChunk, String badLine, String abortReason, int stopAfterChunks) {
      this.rows = rows;
      this.perChunk = perChunk;
      this.badLine = badLine;
      this.abortReason = abortReason;
      this.stopAfterChunks = stopAfterChunks;
    }

    @Override
    public void pgCopyReady(Session s) {
      readyCalls.incrementAndGet();
      if (chunks == stopAfterChunks && abortReason != null) {
        s.abortCopy(abortReason);
        return;
      }
      if (next >= rows) {
        s.finishCopy();
        return;
      }
      StringBuilder sb = new StringBuilder(perChunk * 8);
      int end = Math.min(rows, next + perChunk);
      for (; next < end; next++) {
        sb.append(next).append('\n');
      }
      if (chunks == stopAfterChunks && badLine != null) {
        sb.append(badLine).append('\n');
      }
      chunks++;
      s.sendCopyData(sb.toString().getBytes(StandardCharsets.US_ASCII));
    }
  }

  private static long count(Session s, String table) {
    return Ops.sql(s, "SELECT count(*) FROM " + table).rows().get(0).getLong(0);
  }

  @Test
  void copyInMillionRows() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      Ops.sql(s, "CREATE TEMP TABLE ci(a int4)");
      RowsIn in = new RowsIn(1_000_000, 20_000, null, null, -1);
      s.copyIn("COPY ci FROM STDIN", in);
      in.await();
      assertThat(in.events).containsExactly("copied:1000000");
      assertThat(Ops.sql(s, "SELECT count(*), sum(a) FROM ci").rows().get(0).fields())
          .extracting(f -> f.value().toString()).containsExactly("1000000", "499999500000");
    }
  }

  /**
   * An answer of several chunks (here: 50 chunks, then 50 more with the end) is sent whole and in
   * order on every transport: the old pull flow dropped whatever came before the first chunk's
   * write completed, which under io_uring (completions arrive later) lost data and hung.
   */
  @Test
  void severalChunksAndTheEndInOneAnswerAreAllSentAndReadyNeverReenters() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      Ops.sql(s, "CREATE TEMP TABLE cm(a int4)");
      java.util.concurrent.atomic.AtomicBoolean inside = new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.atomic.AtomicBoolean reentered = new java.util.concurrent.atomic.AtomicBoolean();
      Rec in = new Rec() {
        int answers;

        @Override
        public void pgCopyReady(Session session) {
          readyCalls.incrementAndGet();
          if (!inside.compareAndSet(false, true)) {
            reentered.set(true);
          }
          for (int i = 0; i < 50; i++) {
            int v = answers * 50 + i;
            session.sendCopyData((v + "\n").getBytes(StandardCharsets.US_ASCII));
          }
          if (++answers == 2) {
            session.finishCopy();
          }
          inside.set(false);
        }
      };
      s.copyIn("COPY cm FROM STDIN", in);
      in.await();
      assertThat(in.events).containsExactly("copied:100");
      assertThat(in.readyCalls.get()).as("one call per answer, the second after all 50 were written").isEqualTo(2);
      assertThat(reentered.get()).as("pgCopyReady called from inside itself").isFalse();
      assertThat(Ops.sql(s, "SELECT count(*), sum(a), min(a), max(a) FROM cm").rows().get(0).fields())
          .extracting(f -> f.value().toString()).containsExactly("100", "4950", "0", "99");
    }
  }

  @Test
  void copyInAbortAndBadDataLeaveTheSessionUsable() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      // Not "ci": behind a transaction-mode pooler temp tables outlive the client session.
      Ops.sql(s, "CREATE TEMP TABLE ca(a int4)");
      RowsIn aborted = new RowsIn(100_000, 1000, null, "why-the-client-gave-up", 5);
      s.copyIn("COPY ca FROM STDIN", aborted);
      aborted.await();
      assertThat(aborted.events).hasSize(1);
      ErrorResponseMessage err = (ErrorResponseMessage) aborted.failures.get(0);
      assertThat(err.code()).isEqualTo("57014");
      assertThat(err.message()).contains("why-the-client-gave-up");
      assertThat(count(s, "ca")).isZero();

      RowsIn bad = new RowsIn(100_000, 1000, "not-a-number", null, 30);
      s.copyIn("COPY ca FROM STDIN", bad);
      assertThat(bad.awaitFailureCode()).isEqualTo("22P02");
      assertThat(bad.terminal.get()).isEqualTo(1);
      assertThat(count(s, "ca")).isZero();

      // late answers after the failure are no-ops
      s.sendCopyData("1\n".getBytes(StandardCharsets.US_ASCII));
      s.finishCopy();
      s.abortCopy("late");
      Ops.assertUsable(s);
      RowsIn good = new RowsIn(10, 10, null, null, -1);
      s.copyIn("COPY ca FROM STDIN", good);
      assertThat(good.await().events).containsExactly("copied:10");
    }
  }

  /** Sums the values of a one-int-column COPY OUT, one row per CopyData. */
  static class SumOut extends Rec {
    final AtomicLong sum = new AtomicLong();
    final AtomicLong rows = new AtomicLong();

    /** A million rows take over 30 s under load with paranoid leak detection: only a stall is a hang. */
    @Override
    Rec await() {
      org.pgsession.it.Await.whileProgressing("copy out to end, rows so far " + rows.get(),
          java.time.Duration.ofSeconds(30), rows::get, () -> terminal.get() > 0);
      return this;
    }

    @Override
    public void pgCopyData(Session s, byte[] data) {
      super.pgCopyData(s, data);
      long v = 0;
      boolean neg = false;
      for (byte b : data) {
        if (b == '-') {
          neg = true;
        } else if (b >= '0' && b <= '9') {
          v = v * 10 + (b - '0');
        } else if (b == '\n') {
          sum.addAndGet(neg ? -v : v);
          rows.incrementAndGet();
          v = 0;
          neg = false;
        }
      }
    }
  }

  @Test
  void copyOutMillionRows() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      SumOut out = new SumOut();
      s.copyOut("COPY (SELECT g FROM generate_series(1, 1000000) g) TO STDOUT", out);
      // 9 s direct, 36 s through PgBouncer on a 2-core machine at load 30: past the default 30 s.
      out.await(java.time.Duration.ofMinutes(3));
      assertThat(out.events).containsExactly("copied:1000000");
      assertThat(out.rows.get()).isEqualTo(1_000_000);
      assertThat(out.sum.get()).isEqualTo(500_000_500_000L);
      Ops.assertUsable(s);
    }
  }

  @Test
  void copyOutErrorAfterSomeData() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      SumOut out = new SumOut();
      s.copyOut("COPY (SELECT 1/(g-500000) FROM generate_series(1,1000000) g) TO STDOUT", out);
      assertThat(out.awaitFailureCode()).isEqualTo("22012");
      assertThat(out.terminal.get()).isEqualTo(1);
      assertThat(out.rows.get()).isEqualTo(499_999); // every row before the failing one arrived
      Ops.assertUsable(s);
    }
  }
}
