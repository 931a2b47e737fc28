package org.pgsession.internal.session;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The operations written to the server and not yet answered by their last ReadyForQuery, in
 * write order. Without pipelining it holds at most one. With pipelining, pipelinable operations
 * (each ending in its own Sync) are written behind each other while the bytes written and not
 * yet answered stay under {@link #MAX_UNANSWERED_BYTES}; a barrier (an operation that is not
 * pipelinable) is written only into an empty window and nothing is written behind it.
 *
 * <p>An operation that failed before writing anything while earlier ones were unanswered is
 * kept here too (it holds its failure), so that its callback comes in call order.
 */
final class WrittenOperations {
  /**
   * Upper bound of written-but-unanswered bytes. Enough for hundreds of small queries in flight
   * (a point query is ~80 bytes); the server answers them while we keep reading.
   */
  static final long MAX_UNANSWERED_BYTES = 256 * 1024;

  /** {@link Operation#writtenBytes} of an operation that failed before anything was written. */
  private static final long NOT_WRITTEN = -1;

  private final ArrayDeque<Operation> ops = new ArrayDeque<>();
  private long unansweredBytes;
  private long mostUnansweredBytes;
  private boolean barrier;

  /** @return whether nothing is written and unanswered */
  boolean isEmpty() {
    return ops.isEmpty();
  }

  /** @return how many operations are in the window */
  int size() {
    return ops.size();
  }

  /** @return the operation the server answers now (the oldest written), or null */
  Operation head() {
    return ops.peekFirst();
  }

  /** @return whether a pipelinable operation may be written behind the ones in the window now */
  boolean hasRoomBehind() {
    return !barrier && unansweredBytes < MAX_UNANSWERED_BYTES;
  }

  /**
   * Adds an operation about to be started (before its start, so that a shutdown during it ends
   * the operation too).
   *
   * @param op the operation
   * @param isBarrier whether nothing may be written behind it until it completes
   */
  void add(Operation op, boolean isBarrier) {
    op.writtenBytes = 0;
    barrier = isBarrier;
    ops.addLast(op);
  }

  /** @param op the operation just added, whose start wrote @param bytes this many bytes */
  void wrote(Operation op, long bytes) {
    op.writtenBytes = bytes;
    unansweredBytes += bytes;
    mostUnansweredBytes = Math.max(mostUnansweredBytes, unansweredBytes);
  }

  /** @param op the operation just added, which failed (holding its failure) before writing */
  void unsent(Operation op) {
    op.writtenBytes = NOT_WRITTEN;
  }

  /**
   * The head's last ReadyForQuery arrived: removes it and delivers the held failures of the
   * unsent operations that follow it.
   *
   * @param host the session
   * @return the finished head
   */
  Operation finishHead(OperationHost host) {
    Operation head = remove(host);
    barrier = false;
    while (!ops.isEmpty() && ops.peekFirst().writtenBytes == NOT_WRITTEN) {
      remove(host);
    }
    return head;
  }

  private Operation remove(OperationHost host) {
    Operation op = ops.pollFirst();
    if (op.writtenBytes > 0) {
      unansweredBytes -= op.writtenBytes;
    }
    op.releaseFailure(host);
    op.observeEnd(null);
    return op;
  }

  /**
   * Empties the window (session shutdown), in write order: {@code failHead} ends the head,
   * {@code failOther} every later operation; held failures are delivered in their turn.
   *
   * @param host the session
   * @param failHead ends the operation the server was answering
   * @param failOther ends the others
   */
  void clear(OperationHost host, Consumer<Operation> failHead, Consumer<Operation> failOther) {
    boolean first = true;
    while (!ops.isEmpty()) {
      Operation op = ops.peekFirst();
      if (op.writtenBytes != NOT_WRITTEN) {
        (first ? failHead : failOther).accept(op);
        first = false;
      }
      remove(host);
    }
    barrier = false;
  }

  /**
   * Whether SQL may run {@code COPY ... FROM STDIN}: such a statement makes the server read the
   * messages written behind it as COPY input, so it is never pipelined. Conservative (both
   * words anywhere, any case).
   *
   * @param sql the SQL
   * @return whether it mentions both COPY and STDIN
   */
  static boolean mayCopyIn(String sql) {
    return containsIgnoreCase(sql, "copy") && containsIgnoreCase(sql, "stdin");
  }

  private static boolean containsIgnoreCase(String s, String lowerWord) {
    for (int i = 0, end = s.length() - lowerWord.length(); i <= end; i++) {
      if (s.regionMatches(true, i, lowerWord, 0, lowerWord.length())) {
        return true;
      }
    }
    return false;
  }

  /** @return the most bytes that were written and unanswered at once (a test probe) */
  long mostUnansweredBytes() {
    return mostUnansweredBytes;
  }

  /** @return bytes written and not yet answered now */
  long unansweredBytes() {
    return unansweredBytes;
  }
}
