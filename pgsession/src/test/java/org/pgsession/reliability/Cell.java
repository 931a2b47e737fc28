package org.pgsession.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.pgsession.Session;
import org.pgsession.chaos.Direction;
import org.pgsession.chaos.Fault;
import org.pgsession.chaos.FaultProxy;
import org.pgsession.invariants.Watch;

/** The state of one matrix cell while it runs: the session, its watch, the proxy, the operations. */
final class Cell {
  /** Statement timeout used by BLACK_HOLE_TIMEOUT cells. */
  static final Duration STATEMENT_TIMEOUT = Duration.ofMillis(200);
  /** Bytes of the server's next message let through by CLOSE_AFTER_BYTES (a cut header or body). */
  static final int CUT_AFTER = 3;

  final FaultKind kind;
  final Phase phase;
  final FaultProxy proxy;
  final Watch watch;
  /** Opened when the trigger fired (for faults the test must follow up: close(), terminate). */
  final CountDownLatch fired = new CountDownLatch(1);
  final List<Watch.Tracked> ops = new ArrayList<>();
  final java.util.concurrent.atomic.AtomicBoolean copyStarted = new java.util.concurrent.atomic.AtomicBoolean();
  Session session;

  Cell(FaultKind kind, Phase phase, FaultProxy proxy, Watch watch) {
    this.kind = kind;
    this.phase = phase;
    this.proxy = proxy;
    this.watch = watch;
  }

  /** @return the statement timeout operations get in this cell (null unless a timeout cell) */
  Duration statementTimeout() {
    return kind == FaultKind.BLACK_HOLE_TIMEOUT ? STATEMENT_TIMEOUT : null;
  }

  /** Starts an operation and remembers its bookkeeping. */
  <R> void op(Watch.Watched<R> watched, Consumer<R> start) {
    ops.add(watched.tracked());
    start.accept(watched.receiver());
  }

  /** @return the session's proxied connection (the first one; cancel requests come later) */
  FaultProxy.ProxyConnection connection() {
    return proxy.connections().isEmpty() ? null : proxy.connections().get(0);
  }

  /** @return whether the fault's effect on the server's answers is set when arming, not at the trigger */
  boolean presetsServerSide() {
    if (phase.direction != Direction.CLIENT_TO_SERVER) {
      return false;
    }
    // Before ready only the terminate cells need it: their outcome (never ready) depends on the
    // server's answer to the trigger being held, which the trigger itself would set too late.
    return phase.beforeReady ? kind == FaultKind.TERMINATE_BACKEND : phase.type == Fault.ANY;
  }

  /**
   * Arms a before-ready phase on the proxy (every later connection). For a terminate cell the
   * server's answer to the trigger is held from the start: during SCRAM everything after the
   * first Authentication message (AuthenticationSASL), in the earlier phases everything.
   *
   * @param proxy the cell's proxy
   */
  void armBeforeReady(FaultProxy proxy) {
    if (presetsServerSide()) {
      proxy.fault(Direction.SERVER_TO_CLIENT,
          phase == Phase.SCRAM ? Fault.afterMessage('R', 1, Fault.stall()) : Fault.stall());
    }
    proxy.fault(phase.direction, Fault.afterMessage(phase.type, phase.nth, afterTrigger(phase.direction)));
  }

  /**
   * Arms the phase's trigger on the session's connection. When the trigger watches the client's
   * request of an idle session, the server side is set up front (nothing comes from the server
   * before the request, and setting it at the trigger would race the server's answer).
   */
  void arm(FaultProxy.ProxyConnection c) {
    if (presetsServerSide()) {
      switch (kind) {
        case CLOSE_AFTER_BYTES -> c.fault(Direction.SERVER_TO_CLIENT, Fault.closeAfterBytes(CUT_AFTER));
        case BLACK_HOLE_CLOSE, BLACK_HOLE_TIMEOUT -> c.fault(Direction.SERVER_TO_CLIENT, dark(Direction.SERVER_TO_CLIENT));
        // Close and RST must hit the operation: the server's whole answer could otherwise pass
        // between the request and the close (a 50-row COPY OUT completed under load).
        case TERMINATE_BACKEND, CLOSE, RST -> c.fault(Direction.SERVER_TO_CLIENT, Fault.stall());
        default -> { }
      }
    }
    c.fault(phase.direction, Fault.afterMessage(phase.type, phase.nth, afterTrigger(phase.direction)));
  }

  /**
   * @param trigger the direction whose trigger fired
   * @return what that direction does once its trigger fires, for this cell's fault kind
   */
  Fault afterTrigger(Direction trigger) {
    Direction other = trigger == Direction.CLIENT_TO_SERVER ? Direction.SERVER_TO_CLIENT : Direction.CLIENT_TO_SERVER;
    boolean preset = presetsServerSide();
    return switch (kind) {
      case CLOSE -> Fault.close();
      case RST -> Fault.reset();
      case CLOSE_AFTER_BYTES -> trigger == Direction.SERVER_TO_CLIENT || preset
          ? (preset ? Fault.pass() : Fault.closeAfterBytes(CUT_AFTER))
          : Fault.signal(() -> connection().fault(Direction.SERVER_TO_CLIENT, Fault.closeAfterBytes(CUT_AFTER)),
              Fault.pass());
      case BLACK_HOLE_CLOSE, BLACK_HOLE_TIMEOUT -> Fault.signal(() -> {
        if (!preset) {
          connection().fault(other, dark(other));
        }
        fired.countDown();
      }, dark(trigger));
      case TERMINATE_BACKEND -> Fault.signal(() -> {
        if (!preset) {
          connection().fault(Direction.SERVER_TO_CLIENT, Fault.stall()); // hold the server's answer
        }
        fired.countDown();
      }, trigger == Direction.SERVER_TO_CLIENT ? Fault.stall() : Fault.pass());
    };
  }

  /** A dark direction: the server stops reading (stall) and stops answering (black hole, EOF hidden). */
  static Fault dark(Direction d) {
    return d == Direction.CLIENT_TO_SERVER ? Fault.stall() : Fault.blackHole();
  }
}
