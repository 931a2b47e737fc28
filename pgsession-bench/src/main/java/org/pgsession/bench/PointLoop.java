package org.pgsession.bench;

import java.util.concurrent.CompletableFuture;

/**
 * The driver state of a point-query loop shared by every asynchronous client (W1, W2, W6): which
 * key comes next, the expected and the actual checksum, and when to stop (a deadline or a query
 * count). Callers send {@link #next()} keys, report each answer with {@link #answer(long)} and
 * ask {@link #more()} whether to send again; the loop completes once everything sent after the
 * end was answered. Not thread-safe: callers serialize (one event loop, or a lock).
 */
final class PointLoop {
  private final long deadline;
  private final long limit;
  private final CompletableFuture<Long> done = new CompletableFuture<>();
  private int key;
  private long expected;
  private long actual;
  private long sent;
  private long answered;

  private PointLoop(long deadline, long limit, int lastKey) {
    this.deadline = deadline;
    this.limit = limit;
    this.key = lastKey;
  }

  /**
   * A loop that sends until {@code millis} from now.
   *
   * @param millis the trial length
   * @param lastKey the key sent last (0 at first); the cycle continues after it
   * @return the loop
   */
  static PointLoop timed(long millis, int lastKey) {
    return new PointLoop(System.nanoTime() + millis * 1_000_000, Long.MAX_VALUE, lastKey);
  }

  /**
   * A loop that sends exactly {@code queries} queries.
   *
   * @param queries how many
   * @param lastKey the key before the first one
   * @return the loop
   */
  static PointLoop counted(long queries, int lastKey) {
    return new PointLoop(Long.MAX_VALUE, queries, lastKey);
  }

  /** @return the next key to send (counted as sent, its checksum expected) */
  int next() {
    key = Expected.nextKey(key);
    expected += Expected.point(key);
    sent++;
    return key;
  }

  /** @return the key sent last */
  int lastKey() {
    return key;
  }

  /**
   * Records one answered query.
   *
   * @param sum its {@code id + length(name)}
   */
  void answer(long sum) {
    actual += sum;
    answered++;
  }

  /**
   * Whether to send another query (or list); completes the loop when not and all are answered.
   *
   * @return true to send more
   */
  boolean more() {
    if (sent < limit && System.nanoTime() < deadline) {
      return true;
    }
    if (answered == sent) {
      done.complete(answered);
    }
    return false;
  }

  /**
   * Ends the loop with a failure.
   *
   * @param failure what went wrong
   */
  void fail(Throwable failure) {
    done.completeExceptionally(failure);
  }

  /** @return completes with the number of answered queries */
  CompletableFuture<Long> done() {
    return done;
  }

  /**
   * Waits for the end and verifies the checksum.
   *
   * @return answered queries
   * @throws Exception on failure or checksum mismatch
   */
  long await() throws Exception {
    long n = Await.await(done);
    verify();
    return n;
  }

  /** Fails the run if the checksum of the answers differs from the keys sent. */
  void verify() {
    Expected.check("sum of id + length(name) over the keys sent", expected, actual);
  }
}
