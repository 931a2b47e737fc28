package org.pgsession.it.ops;

import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.pgsession.PreparedQuery;
import org.pgsession.Row;
import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.it.Await;
import org.pgsession.it.Sessions;

/**
 * Runs in its own JVM with -Xmx16m (surefire execution {@code tiny-heap}): streaming W3-shaped
 * rows (BENCHMARKS.md) must work in a heap far smaller than the result, so rows are decoded
 * straight from the inbound buffer and nothing accumulates. One million rows here (about 150 MB
 * if buffered) keep the run short; the 10M-row run of the issue is
 * {@code pgsession-microbench}'s {@code W3Harness 10000000 1 streamed} at -Xmx16m. Only the
 * plain cluster is started (no PgTestExtension): generating the TLS cluster's certificates
 * alone needs more than 16 MB.
 */
@Tag("tiny-heap")
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class StreamTinyHeapTest {
  private static final String W3 = "SELECT i, i::int8*2, 'row-'||i, i*1.5::float8, now() "
      + "FROM generate_series(1, $1::int4) i";

  @Test
  void streamMillionW3RowsIn16Megabytes() {
    long heapMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
    assertThat(heapMb).as("run with -Xmx16m").isLessThanOrEqualTo(20);
    int n = 1_000_000;
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      Rec st = new Rec() {
        long rows;
        long sum;
        long textLength;
        boolean bad;

        @Override
        public void pgStreamBatch(Session ss, Rows batch) {
          for (Row r : batch) {
            rows++;
            int i = r.intValue(0);
            bad |= r.longValue(1) != 2L * i || r.doubleValue(3) != i * 1.5
                || r.get(4, OffsetDateTime.class) == null;
            sum += i;
            textLength += r.getString(2).length();
          }
          copyBytes.set(rows);
          count.set(sum);
          ss.fetchMore();
        }

        @Override
        public void pgStreamComplete(Session ss) {
          events.add("complete:" + bad + ":" + textLength);
          terminal.incrementAndGet();
        }
      };
      s.stream(PreparedQuery.of(W3, n), 1000, st);
      Await.until("stream of 1M W3 rows", Duration.ofSeconds(120), () -> st.terminal.get() > 0);
      // "row-" is 4 characters, then the decimal digits of i
      long digits = 0;
      for (long p = 1; p <= n; p *= 10) {
        digits += n - p + 1;
      }
      assertThat(st.events).containsExactly("complete:false:" + (4L * n + digits));
      assertThat(st.copyBytes.get()).isEqualTo(n);
      assertThat(st.count.get()).isEqualTo((long) n * (n + 1) / 2);
      Ops.assertUsable(s);
    }
  }
}
