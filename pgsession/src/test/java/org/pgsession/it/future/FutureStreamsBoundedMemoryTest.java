package org.pgsession.it.future;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.pgsession.it.future.FutureSessions.await;

import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.PreparedQuery;
import org.pgsession.Row;
import org.pgsession.Session;
import org.pgsession.it.Await;
import org.pgsession.testkit.PgTestExtension;

/**
 * Runs in its own JVM with -Xmx64m (surefire execution {@code bounded-memory-64m}): a 10M-row
 * stream and 200 MB COPY streams in both directions, far beyond the heap, so any unbounded
 * buffering in the publisher or the copy pumps fails with OutOfMemoryError.
 */
@Tag("bounded-memory-64m")
@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class FutureStreamsBoundedMemoryTest {
  private static final long COPY_BYTES = 200L * 1024 * 1024;

  private final FutureSessions sessions = new FutureSessions();

  @AfterEach
  void closeAll() {
    sessions.close();
  }

  private static void assertSmallHeap() {
    assertThat(Runtime.getRuntime().maxMemory() / (1024 * 1024)).as("run with -Xmx64m").isLessThanOrEqualTo(80);
  }

  @Test
  void tenMillionRowsThroughASubscriberThatRequestsInSmallSteps() {
    assertSmallHeap();
    Session s = sessions.open();
    AtomicLong seen = new AtomicLong();
    AtomicLong sum = new AtomicLong();
    AtomicReference<String> end = new AtomicReference<>();
    s.stream(PreparedQuery.of("SELECT g, repeat('y', 40) FROM generate_series(1, 10000000) g"), 2000)
        .subscribe(new Flow.Subscriber<Row>() {
          Flow.Subscription sub;
          long outstanding;

          @Override
          public void onSubscribe(Flow.Subscription subscription) {
            sub = subscription;
            outstanding = 500;
            sub.request(500);
          }

          @Override
          public void onNext(Row row) {
            seen.incrementAndGet();
            sum.addAndGet(row.getInteger(0));
            if (--outstanding == 0) {
              outstanding = 500;
              sub.request(500);
            }
          }

          @Override
          public void onError(Throwable t) {
            end.set("error: " + t);
          }

          @Override
          public void onComplete() {
            end.set("complete");
          }
        });
    long t0 = System.nanoTime();
    Await.until("10M rows", Duration.ofMinutes(10), () -> end.get() != null);
    assertThat(end.get()).isEqualTo("complete");
    assertThat(seen.get()).isEqualTo(10_000_000L);
    assertThat(sum.get()).isEqualTo(10_000_000L * 10_000_001L / 2);
    System.out.printf("bounded stream: 10M rows in %d ms (heap max %d MB)%n",
        (System.nanoTime() - t0) / 1_000_000, Runtime.getRuntime().maxMemory() >> 20);
  }

  @Test
  void copyIn200MegabytesFromAnInputStream() {
    assertSmallHeap();
    Session s = sessions.open();
    await(s.update("CREATE TEMP TABLE sink(n int8, t text)"));
    GeneratedCopyData.Rows data = new GeneratedCopyData.Rows(COPY_BYTES);
    long t0 = System.nanoTime();
    // The server parses every row but keeps only every millionth, so the disk is not filled.
    long kept = FutureSessions.await(s.copyIn("COPY sink FROM STDIN WHERE n % 1000000 = 0", data)
        .orTimeout(10, java.util.concurrent.TimeUnit.MINUTES));
    assertThat(kept).isEqualTo((data.rows + 999_999) / 1_000_000);
    System.out.printf("bounded copyIn: %d MB, %d rows in %d ms%n", COPY_BYTES >> 20, data.rows,
        (System.nanoTime() - t0) / 1_000_000);
  }

  @Test
  void copyOut200MegabytesIntoASlowSink() {
    assertSmallHeap();
    Session s = sessions.open();
    long rows = 2_300_000; // ~99 bytes a line: more than 200 MB
    GeneratedCopyData.CountingSink sink = new GeneratedCopyData.CountingSink(1 << 20);
    long t0 = System.nanoTime();
    long count = FutureSessions.await(s.copyOut(
        "COPY (SELECT g, repeat('x', 90) FROM generate_series(1, " + rows + ") g) TO STDOUT", sink)
        .orTimeout(10, java.util.concurrent.TimeUnit.MINUTES));
    assertThat(count).isEqualTo(rows);
    assertThat(sink.lines).isEqualTo(rows);
    assertThat(sink.bytes).isGreaterThan(COPY_BYTES);
    System.out.printf("bounded copyOut: %d MB in %d ms%n", sink.bytes >> 20, (System.nanoTime() - t0) / 1_000_000);
  }
}
