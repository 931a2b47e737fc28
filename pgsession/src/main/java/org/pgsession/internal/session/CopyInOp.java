package org.pgsession.internal.session;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import org.pgsession.ClientQueryError.DataError;
import org.pgsession.CopyInReceiver;
import org.pgsession.QueryFailure;
import org.pgsession.internal.protocol.BackendMessage;
import org.pgsession.internal.protocol.BackendMessage.CommandComplete;
import org.pgsession.internal.protocol.BackendMessage.CopyInResponse;
import org.pgsession.internal.protocol.BackendMessage.ErrorResponse;
import org.pgsession.internal.protocol.FrontendMessages;

/**
 * COPY ... FROM STDIN with a pull flow: {@code pgCopyReady} is called on CopyInResponse and
 * again only after the previous chunk has been written and while the channel is writable, so
 * at most one chunk is ever buffered however fast the receiver produces.
 */
final class CopyInOp extends Operation implements FlowControlled {
  /** CopyFail reasons are cut to this many characters. */
  static final int MAX_REASON = 1000;

  private enum State { WAITING_RESPONSE, COPYING, FINISHING, NOT_A_COPY }

  private final String sql;
  private final CopyInReceiver receiver;
  private State state = State.WAITING_RESPONSE;
  private boolean readyWanted;
  private boolean awaitingAnswer;
  private long count = -1;

  CopyInOp(String sql, CopyInReceiver receiver, Duration timeout) {
    super(timeout);
    this.sql = sql;
    this.receiver = receiver;
  }

  @Override
  boolean start(OperationHost host) {
    return sendOrFail(host, "COPY", buf -> FrontendMessages.query(buf, sql));
  }

  @Override
  void onMessage(BackendMessage message, OperationHost host) {
    if (message instanceof CopyInResponse && state == State.WAITING_RESPONSE) {
      state = State.COPYING;
      readyWanted = true;
      signalReady(host);
    } else if (message instanceof CommandComplete cc) {
      count = state == State.NOT_A_COPY ? -1 : CommandTag.parse(cc.tag()).rows();
    } else if (message instanceof ErrorResponse err) {
      state = State.FINISHING; // later copy calls are no-ops
      fail(host, err.error());
    } else if (message instanceof BackendMessage.CopyOutResponse && state == State.WAITING_RESPONSE) {
      state = State.NOT_A_COPY;
      fail(host, new DataError("copyIn() was given a COPY TO STDOUT statement; use copyOut()"));
    } else if (message instanceof BackendMessage.RowDescription && state == State.WAITING_RESPONSE) {
      state = State.NOT_A_COPY;
      fail(host, new DataError("copyIn() needs a COPY ... FROM STDIN statement"));
    } else if (state != State.NOT_A_COPY) {
      throw unexpected(message);
    }
  }

  /** The receiver answered with data. */
  void sendData(OperationHost host, byte[] data) {
    if (!takeAnswer()) {
      return;
    }
    ByteBuf buf = host.transport().alloc().buffer(5 + data.length);
    FrontendMessages.copyData(buf, data);
    host.transport().sendThen(buf, () -> {
      readyWanted = true;
      signalReady(host);
    });
  }

  /** The receiver finished the data. */
  void finish(OperationHost host) {
    if (takeAnswer()) {
      state = State.FINISHING;
      ByteBuf buf = host.transport().alloc().buffer(5);
      FrontendMessages.copyDone(buf);
      host.transport().send(buf);
    }
  }

  /** The receiver aborted. @param reason the message for the server */
  void abort(OperationHost host, String reason) {
    if (takeAnswer()) {
      state = State.FINISHING;
      String safe = reason.replace('\0', ' ');
      if (safe.length() > MAX_REASON) {
        safe = safe.substring(0, MAX_REASON);
      }
      ByteBuf buf = host.transport().alloc().buffer();
      FrontendMessages.copyFail(buf, safe);
      host.transport().send(buf);
    }
  }

  /**
   * Cancels the copy from the client side while the server is waiting for data: PostgreSQL
   * does not act on a CancelRequest while it blocks reading COPY data from the client, so a
   * statement timeout or {@code cancel()} would otherwise never end a stalled COPY IN. Sends
   * CopyFail, which the server answers with an ErrorResponse 57014 like a cancel; any later
   * answer of the receiver is a no-op.
   *
   * @param host the session
   * @return false when the copy is not in its data phase (a CancelRequest is needed instead)
   */
  boolean cancelLocally(OperationHost host) {
    if (state != State.COPYING || terminated()) {
      return false;
    }
    state = State.FINISHING;
    awaitingAnswer = false;
    readyWanted = false;
    ByteBuf buf = host.transport().alloc().buffer();
    FrontendMessages.copyFail(buf, "canceled by the client (statement timeout or cancel)");
    host.transport().send(buf);
    return true;
  }

  private boolean takeAnswer() {
    if (state != State.COPYING || !awaitingAnswer || terminated()) {
      return false;
    }
    awaitingAnswer = false;
    return true;
  }

  @Override
  public void onWritable(OperationHost host) {
    signalReady(host);
  }

  private void signalReady(OperationHost host) {
    if (readyWanted && state == State.COPYING && !terminated() && host.transport().isWritable()) {
      readyWanted = false;
      awaitingAnswer = true;
      Callbacks.run("pgCopyReady", () -> receiver.pgCopyReady(host.session()));
    }
  }

  @Override
  boolean onReadyForQuery(OperationHost host) {
    if (!terminated()) {
      if (count >= 0) {
        terminate();
        long rows = count;
        Callbacks.run("pgCopyComplete", () -> receiver.pgCopyComplete(host.session(), rows));
      } else {
        fail(host, new DataError("copyIn() needs a COPY ... FROM STDIN statement"));
      }
    }
    return true;
  }

  @Override
  protected void deliverFailure(OperationHost host, QueryFailure failure) {
    Callbacks.run("pgCopyFailed", () -> receiver.pgCopyFailed(host.session(), failure));
  }
}
