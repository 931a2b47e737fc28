package org.pgsession.internal.session;

import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The keepalive where the OS cannot be told the idle time: every {@code idle}, if nothing was
 * received since the last check and the session is idle, it sends an empty simple query with
 * {@code idle} as its statement timeout. A live server answers at once; a dead one never does,
 * and the statement timer (cancel, then the grace period) closes the session.
 */
final class IdleProbe {
  private final SessionMachine machine;
  private final Duration idle;
  private long received;
  private long receivedAtLastCheck;
  private ScheduledFuture<?> timer;

  IdleProbe(SessionMachine machine, Duration idle) {
    this.machine = machine;
    this.idle = idle;
  }

  /** Starts the periodic check (on the session's loop). */
  void start() {
    long nanos = idle.toNanos();
    timer = org.pgsession.internal.transport.LiveResources.timer(
        machine.transport().loop().scheduleAtFixedRate(this::check, nanos, nanos, TimeUnit.NANOSECONDS));
  }

  /** A backend message arrived. */
  void received() {
    received++;
  }

  private void check() {
    if (received == receivedAtLastCheck && machine.idle()) {
      machine.probe(idle);
    }
    receivedAtLastCheck = received;
  }

  /** Stops checking. */
  void stop() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
