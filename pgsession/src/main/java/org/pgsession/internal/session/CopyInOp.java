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
 * again only once every chunk sent so far has been written and while the channel is writable,
 * so a receiver answering each call with one chunk never has more than one buffered however
 * fast it produces. A receiver that sends several chunks (or chunks and then CopyDone) in one
 * answer gets them all sent in order: whether a write completes at once (epoll) or later
 * (io_uring) must not decide which of them are kept.
 */
final class CopyInOp extends Operation implements FlowControlled {
  /** CopyFail reasons are cut to this many characters. */
  static final int MAX_REASON = 1000;

  private enum State { WAITING_RESPONSE, COPYING, FINISHING, NOT_A_COPY }

  private final String sql;
  private final CopyInReceiver receiver;
  private State state = State.WAITING_RESPONSE;
  private boolean readyWanted;
  /** Chunks handed to the transport whose write has not completed yet. */
  private int chunksInFlight;
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

  /** The receiver sent data (an answer to pgCopyReady, or more of one). */
  void sendData(OperationHost host, byte[] data) {
    if (!copying()) {
      return;
    }
    ByteBuf buf = host.transport().alloc().buffer(5 + data.length);
    FrontendMessages.copyData(buf, data);
    chunksInFlight++;
    host.transport().sendThen(buf, () -> {
      chunksInFlight--;
      readyWanted = true;
      if (chunksInFlight == 0) {
        // In a task of its own: a write that completes at once (epoll) would otherwise call
        // pgCopyReady again from inside the receiver's own sendCopyData call.
        host.transport().loop().execute(() -> signalReady(host));
      }
    });
  }

  /** The receiver finished the data. */
  void finish(OperationHost host) {
    if (copying()) {
      state = State.FINISHING;
      ByteBuf buf = host.transport().alloc().buffer(5);
      FrontendMessages.copyDone(buf);
      host.transport().send(buf);
    }
  }

  /** The receiver aborted. @param reason the message for the server */
  void abort(OperationHost host, String reason) {
    if (copying()) {
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
    if (!copying()) {
      return false;
    }
    state = State.FINISHING;
    readyWanted = false;
    ByteBuf buf = host.transport().alloc().buffer();
    FrontendMessages.copyFail(buf, "canceled by the client (statement timeout or cancel)");
    host.transport().send(buf);
    return true;
  }

  /**
   * @return whether the receiver's data or end is to be sent: while copying (also more than one
   *     answer per pgCopyReady); after CopyDone/CopyFail, a failure or the end, never
   */
  private boolean copying() {
    return state == State.COPYING && !terminated();
  }

  @Override
  public void onWritable(OperationHost host) {
    signalReady(host);
  }

  private void signalReady(OperationHost host) {
    if (readyWanted && chunksInFlight == 0 && copying() && host.transport().isWritable()) {
      readyWanted = false;
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
