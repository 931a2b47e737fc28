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

  Cancels(SessionMachine machine) {
    this.machine = machine;
  }

  /** Sends a CancelRequest for whatever the backend runs now. */
  void request(Transport transport, BackendKeyData key) {
    outstanding++;
    CancelRequester.send(transport.loop(), transport.remoteAddress(), machine.server(), key.processId(),
        key.secretKey(), () -> {
          outstanding--;
          machine.drive();
        });
  }

  /** @return true when no cancel connection is open */
  boolean idle() {
    return outstanding == 0;
  }
}
