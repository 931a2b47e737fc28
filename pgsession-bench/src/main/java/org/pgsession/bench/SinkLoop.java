package org.pgsession.bench;

import java.util.concurrent.CompletableFuture;

/**
 * The driver state of a W2b insert loop shared by the asynchronous clients: the next id, rows
 * sent and reported inserted, and the deadline. Batches are sent one at a time, so no locking.
 */
final class SinkLoop {
  private final long deadline;
  private final CompletableFuture<Long> done = new CompletableFuture<>();
  private int id;
  private long sent;
  private long inserted;

  SinkLoop(long millis) {
    this.deadline = System.nanoTime() + millis * 1_000_000;
  }

  /** @return the id of the next row (ids start at 1 after each TRUNCATE) */
  int nextId() {
    sent++;
    return ++id;
  }

  /** @param rows rows a statement reported inserted */
  void inserted(long rows) {
    inserted += rows;
  }

  /** @return true to send another batch; otherwise completes the loop */
  boolean more() {
    if (System.nanoTime() < deadline) {
      return true;
    }
    done.complete(inserted);
    return false;
  }

  /** @param failure ends the loop with it */
  void fail(Throwable failure) {
    done.completeExceptionally(failure);
  }

  /** @return whether the loop has ended */
  boolean isDone() {
    return done.isDone();
  }

  /**
   * Waits for the end; every row sent must be reported inserted.
   *
   * @return rows inserted
   * @throws Exception on failure or mismatch
   */
  long await() throws Exception {
    long n = Await.await(done);
    Expected.check("W2b rows reported inserted", sent, n);
    return n;
  }
}
