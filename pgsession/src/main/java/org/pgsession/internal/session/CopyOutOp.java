package org.pgsession.internal.session;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import org.pgsession.ClientQueryError.DataError;
import org.pgsession.CopyOutReceiver;
import org.pgsession.QueryFailure;
import org.pgsession.internal.protocol.BackendMessage;
import org.pgsession.internal.protocol.BackendMessage.CommandComplete;
import org.pgsession.internal.protocol.BackendMessage.CopyData;
import org.pgsession.internal.protocol.BackendMessage.CopyDone;
import org.pgsession.internal.protocol.BackendMessage.CopyOutResponse;
import org.pgsession.internal.protocol.BackendMessage.ErrorResponse;
import org.pgsession.internal.protocol.FrontendMessages;

/** COPY ... TO STDOUT: one {@code pgCopyData} per CopyData, then the count or the failure. */
final class CopyOutOp extends Operation {
  private final String sql;
  private final CopyOutReceiver receiver;
  private boolean copying;
  /** CopyOutResponse arrived: from then on only CopyData, CopyDone, CommandComplete or an error are legal. */
  private boolean responded;
  private long count = -1;

  CopyOutOp(String sql, CopyOutReceiver receiver, Duration timeout) {
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
    if (message instanceof CopyData data) {
      if (copying && !terminated()) {
        Callbacks.run("pgCopyData", () -> receiver.pgCopyData(host.session(), data.data()));
      }
    } else if (message instanceof CopyOutResponse && !responded) {
      copying = true;
      responded = true;
    } else if (message instanceof CopyDone) {
      copying = false;
    } else if (message instanceof CommandComplete cc) {
      count = CommandTag.parse(cc.tag()).rows();
    } else if (message instanceof ErrorResponse err) {
      fail(host, err.error());
    } else if (responded && !(message instanceof CommandComplete)) {
      throw unexpected(message); // after CopyOutResponse only data, CopyDone, the tag or an error may come
    } else if (message instanceof BackendMessage.CopyInResponse) {
      ByteBuf buf = host.transport().alloc().buffer();
      FrontendMessages.copyFail(buf, "copyOut() was given a COPY FROM STDIN statement");
      host.transport().send(buf);
      fail(host, new DataError("copyOut() was given a COPY ... FROM STDIN statement; use copyIn()"));
    } else if (message instanceof BackendMessage.RowDescription || message instanceof BackendMessage.DataRow
        || message instanceof BackendMessage.EmptyQueryResponse) {
      fail(host, new DataError("copyOut() needs a COPY ... TO STDOUT statement"));
    } else {
      throw unexpected(message);
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
        fail(host, new DataError("copyOut() needs a COPY ... TO STDOUT statement"));
      }
    }
    return true;
  }

  @Override
  protected void deliverFailure(OperationHost host, QueryFailure failure) {
    Callbacks.run("pgCopyFailed", () -> receiver.pgCopyFailed(host.session(), failure));
  }
}
