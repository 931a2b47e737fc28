package org.pgsession.reliability;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.pgsession.PreparedQuery;
import org.pgsession.SimpleQuery;
import org.pgsession.chaos.Direction;
import org.pgsession.chaos.Fault;

/**
 * The columns of the fault matrix: where in a session's life the fault hits. Each phase names
 * the proxy trigger that marks it (direction, message type, occurrence) and drives the session
 * there.
 */
enum Phase {
  TLS_NEGOTIATION(true, Direction.CLIENT_TO_SERVER, Fault.UNTYPED, 1),
  STARTUP(true, Direction.CLIENT_TO_SERVER, Fault.UNTYPED, 1),
  SCRAM(true, Direction.CLIENT_TO_SERVER, 'p', 1),
  IDLE(false, null, ' ', 0),
  SIMPLE_QUERY(false, Direction.CLIENT_TO_SERVER, Fault.ANY, 1),
  EXTENDED_QUERY(false, Direction.CLIENT_TO_SERVER, Fault.ANY, 1),
  PREPARE(false, Direction.CLIENT_TO_SERVER, Fault.ANY, 1),
  CLOSE_STATEMENT(false, Direction.CLIENT_TO_SERVER, Fault.ANY, 1),
  STREAM(false, Direction.CLIENT_TO_SERVER, Fault.ANY, 1),
  COPY_IN(false, Direction.CLIENT_TO_SERVER, Fault.ANY, 1),
  COPY_OUT(false, Direction.CLIENT_TO_SERVER, Fault.ANY, 1),
  PIPELINE(false, Direction.CLIENT_TO_SERVER, Fault.ANY, 1),
  MID_PIPELINE(false, Direction.SERVER_TO_CLIENT, 'Z', 1),
  MID_COPY_DATA(false, Direction.CLIENT_TO_SERVER, 'd', 1);

  /** Whether the fault hits before the session is ready (armed on the proxy before connecting). */
  final boolean beforeReady;
  /** Direction the trigger watches; null for IDLE (the fault is applied at once). */
  final Direction direction;
  /** Message type of the trigger. */
  final char type;
  /** Occurrence of the trigger, counted from arming. */
  final int nth;

  Phase(boolean beforeReady, Direction direction, char type, int nth) {
    this.beforeReady = beforeReady;
    this.direction = direction;
    this.type = type;
    this.nth = nth;
  }

  /** Starts the phase's operation(s) on a ready session; the trigger is armed already. */
  void drive(Cell cell) {
    var s = cell.session;
    var t = cell.statementTimeout();
    var w = cell.watch;
    switch (this) {
      case SIMPLE_QUERY -> cell.op(w.result("simple"), r -> s.execute(new SimpleQuery("SELECT 1"), r, t));
      case EXTENDED_QUERY -> cell.op(w.result("extended"), r -> s.execute(PreparedQuery.of("SELECT $1::int4", 7), r, t));
      case PREPARE -> cell.op(w.prepare("prepare"), r -> s.prepare("chaos_stmt", "SELECT 1", r, t));
      case CLOSE_STATEMENT -> {
        s.closeStatement("chaos_stmt");
        cell.op(w.result("after-close"), r -> s.execute(new SimpleQuery("SELECT 1"), r, t));
      }
      case STREAM -> cell.op(w.stream("stream"),
          r -> s.stream(PreparedQuery.of("SELECT generate_series(1, 50)"), 10, r, t));
      case COPY_IN, MID_COPY_DATA -> cell.op(w.copyIn("copy-in", session -> {
        if (!cell.copyStarted.compareAndSet(false, true)) {
          return; // pgCopyReady comes again when the channel turns writable: the data went already
        }
        for (int i = 0; i < 3; i++) {
          session.sendCopyData((i + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        session.finishCopy();
      }), r -> s.copyIn("COPY chaos_t FROM STDIN", r, t));
      case COPY_OUT -> cell.op(w.copyOut("copy-out"),
          r -> s.copyOut("COPY (SELECT generate_series(1, 50)) TO STDOUT", r, t));
      case PIPELINE, MID_PIPELINE -> cell.op(w.pipeline("pipeline", 3), r -> s.pipeline(List.of(
          PreparedQuery.of("SELECT 1"), PreparedQuery.of("SELECT 2"), PreparedQuery.of("SELECT 3")), r, t));
      default -> throw new IllegalStateException(this + " drives no operation");
    }
  }

  /** @return whether the phase is one operation in flight (it must not succeed under most faults) */
  boolean isOperation() {
    return !beforeReady && this != IDLE;
  }

  /** @return whether the phase needs a temp table */
  boolean needsTable() {
    return this == COPY_IN || this == MID_COPY_DATA;
  }
}
