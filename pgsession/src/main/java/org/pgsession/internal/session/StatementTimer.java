package org.pgsession.internal.session;

import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import org.pgsession.ClientQueryError;

/**
 * The statement timeout of the operation in flight: started when the operation is sent,
 * cancelled when it finishes, so a timer can never fire into a later operation.
 *
 * <p>A timeout bounds the operation whatever the server does. When it expires the operation is
 * cancelled (a CancelRequest, or locally where the server would ignore one: a COPY IN waiting
 * for data, a stream waiting for {@code fetchMore}); if it still has not ended
 * {@code cancelGracePeriod} later, the server's answer is not coming (half-open connection,
 * black hole) and the session is closed: the operation fails with {@code StatementTimedOut},
 * everything queued with {@code SessionClosed}.
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
    timer = machine.transport().schedule(op.statementTimeout(), () -> expired(op));
  }

  private void expired(Operation op) {
    if (timed != op || machine.inFlight() != op) {
      return;
    }
    Duration grace = machine.options().cancelGracePeriod();
    timer = machine.transport().schedule(grace, () -> graceExpired(op));
    if (!(op instanceof StreamOp s && s.timeOutLocally(machine))) {
      machine.cancelInFlight();
    }
  }

  private void graceExpired(Operation op) {
    if (timed == op && machine.inFlight() == op) {
      timer = null;
      machine.shutdown(null, new ClientQueryError.StatementTimedOut(op.statementTimeout()));
    }
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
