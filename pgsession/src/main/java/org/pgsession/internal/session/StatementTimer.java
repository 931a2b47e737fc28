package org.pgsession.internal.session;

import io.netty.util.concurrent.ScheduledFuture;

/**
 * The statement timeout of the operation in flight: started when the operation is sent,
 * cancelled when it finishes, so a timer can never fire into a later operation.
 */
final class StatementTimer {
  private final SessionMachine machine;
  private ScheduledFuture<?> timer;
  private Operation timed;

  StatementTimer(SessionMachine machine) {
    this.machine = machine;
  }

  /** @param op the operation just sent */
  void started(Operation op) {
    cancel();
    if (op.statementTimeout() == null) {
      return;
    }
    timed = op;
    timer = machine.transport().schedule(op.statementTimeout(), () -> {
      if (timed == op && machine.inFlight() == op) {
        machine.cancelInFlight();
      }
    });
  }

  /** @param op the operation that just finished */
  void finished(Operation op) {
    if (timed == op) {
      cancel();
    }
  }

  /** Stops any running timer. */
  void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    timed = null;
  }
}
