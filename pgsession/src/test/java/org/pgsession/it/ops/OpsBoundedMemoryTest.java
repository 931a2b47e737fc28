package org.pgsession.it.ops;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.PreparedQuery;
import org.pgsession.Row;
import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.it.Await;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgTestExtension;

/**
 * Runs in its own JVM with -Xmx256m (surefire execution {@code bounded-memory}): the data moved
 * is far larger than the heap, so any unbounded buffering in the driver fails with OOM.
 */
@Tag("bounded-memory")
@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class OpsBoundedMemoryTest {
  private static final long COPY_BYTES = 512L * 1024 * 1024;
  private static final int CHUNK = 64 * 1024;

  private static long maxHeapMb() {
    return Runtime.getRuntime().maxMemory() / (1024 * 1024);
  }

  /**
   * 512 MB of COPY data generated on the fly in 64 KB chunks. The server parses every row but
   * keeps only every millionth (COPY ... WHERE), so the disk is not filled.
   */
  @Test
  void copyInHalfAGigabyte() {
    assertThat(maxHeapMb()).as("run with -Xmx256m").isLessThanOrEqualTo(300);
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      Ops.sql(s, "CREATE TEMP TABLE sink(n int8, t text)");
      String pad = "x".repeat(90);
      Rec in = new Rec() {
        long row;
        long sent;

        @Override
        public void pgCopyReady(Session ss) {
          if (sent >= COPY_BYTES) {
            ss.finishCopy();
            return;
          }
          StringBuilder sb = new StringBuilder(CHUNK + 128);
          while (sb.length() < CHUNK - 128) {
            sb.append(row++).append('\t').append(pad).append('\n');
          }
          byte[] chunk = sb.toString().getBytes(StandardCharsets.US_ASCII);
          sent += chunk.length;
          copyBytes.set(sent);
          count.set(row);
          ss.sendCopyData(chunk);
        }

        @Override
        public void pgCopyComplete(Session ss, long c) {
          events.add("copied:" + c);
          terminal.incrementAndGet();
        }
      };
      long t0 = System.nanoTime();
      s.copyIn("COPY sink FROM STDIN WHERE n % 1000000 = 0", in);
      Await.until("copy in of 512 MB", Duration.ofSeconds(240), () -> in.terminal.get() > 0);
      long rows = in.count.get();
      assertThat(in.events).containsExactly("copied:" + ((rows + 999_999) / 1_000_000));
      assertThat(Ops.sql(s, "SELECT count(*), max(n) FROM sink").rows().get(0).getLong(0))
          .isEqualTo((rows + 999_999) / 1_000_000);
      System.out.printf("bounded copy in: %d MB, %d rows in %d ms (heap max %d MB)%n",
          in.copyBytes.get() >> 20, rows, (System.nanoTime() - t0) / 1_000_000, maxHeapMb());
    }
  }

  @Test
  void streamTenMillionRows() {
    assertThat(maxHeapMb()).as("run with -Xmx256m").isLessThanOrEqualTo(300);
    long n = 10_000_000L;
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      Rec st = new Rec() {
        long rows;
        long sum;
        int batchCount;
        boolean bad;

        @Override
        public void pgStreamBatch(Session ss, Rows batch) {
          batchCount++;
          bad |= batch.size() != 10_000;
          for (Row r : batch) {
            rows++;
            sum += r.getLong(0);
          }
          copyBytes.set(rows);
          count.set(sum);
          ss.fetchMore();
        }

        @Override
        public void pgStreamComplete(Session ss) {
          events.add("complete:" + batchCount + ":" + bad);
          terminal.incrementAndGet();
        }
      };
      long t0 = System.nanoTime();
      s.stream(PreparedQuery.of("SELECT g FROM generate_series(1, $1::int8) g", n), 10_000, st);
      Await.until("stream of 10M rows", Duration.ofSeconds(240), () -> st.terminal.get() > 0);
      assertThat(st.events).containsExactly("complete:1000:false");
      assertThat(st.copyBytes.get()).isEqualTo(n);
      assertThat(st.count.get()).isEqualTo(n * (n + 1) / 2);
      Ops.assertUsable(s);
      System.out.printf("bounded stream: %d rows in %d ms (heap max %d MB)%n", n,
          (System.nanoTime() - t0) / 1_000_000, maxHeapMb());
    }
  }
}
