package org.pgsession.internal.session;

import org.pgsession.internal.protocol.BackendMessage.BackendKeyData;
import org.pgsession.internal.transport.CancelRequester;
import org.pgsession.internal.transport.Transport;

/**
 * Outstanding CancelRequests of one session. While any is outstanding the session sends no new
 * operation: PostgreSQL ignores a cancel that reaches an idle backend, so once the server has
 * closed the cancel connection the signal can no longer hit a later operation.
 */
final class Cancels {
  private final SessionMachine machine;
  private int outstanding;
  /** cancel() calls (from any thread) whose task has not run yet; only counted with pipelining. */
  private final java.util.concurrent.atomic.AtomicInteger called = new java.util.concurrent.atomic.AtomicInteger();

  Cancels(SessionMachine machine) {
    this.machine = machine;
  }

  /** Sends a CancelRequest for whatever the backend runs now. */
  void request(Transport transport, BackendKeyData key) {
    outstanding++;
    Runnable observed = machine.connectObservation().cancelSent(key.processId());
    CancelRequester.send(transport.loop(), transport.remoteAddress(), machine.server(), key.processId(),
        key.secretKey(), () -> {
          observed.run();
          outstanding--;
          machine.drive();
        });
  }

  /** A cancel() call was made (any thread); its task follows on the event loop. */
  void called() {
    called.incrementAndGet();
  }

  /** The task of a {@link #called} cancel() ran (it sent its CancelRequest, if any). */
  void callHandled() {
    called.decrementAndGet();
  }

  /**
   * @return true when no cancel connection is open and no cancel() call waits for its task: an
   *     operation written now cannot be hit by an earlier cancel()
   */
  boolean idle() {
    return outstanding == 0 && called.get() == 0;
  }
}
