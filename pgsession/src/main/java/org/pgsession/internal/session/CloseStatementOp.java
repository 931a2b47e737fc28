package org.pgsession.internal.session;

import io.netty.buffer.ByteBuf;
import org.pgsession.QueryFailure;
import org.pgsession.internal.protocol.BackendMessage;
import org.pgsession.internal.protocol.BackendMessage.CloseComplete;
import org.pgsession.internal.protocol.BackendMessage.ErrorResponse;
import org.pgsession.internal.protocol.FrontendMessages;

/** Close of a named statement: queued like any operation, no callback (closing a missing name is fine). */
final class CloseStatementOp extends Operation {
  private final String name;

  /**
   * @param name the statement
   * @param bound its statement timeout: it has no receiver and the API no timeout for it, yet a
   *     dead server must not hold the queue behind it forever
   */
  CloseStatementOp(String name, java.time.Duration bound) {
    super(bound);
    this.name = name;
  }

  @Override
  boolean pipelinable(OperationHost host) {
    return true;
  }

  @Override
  boolean start(OperationHost host) {
    host.descriptions().forgetName(name);
    host.copyInStatements().remove(name);
    ByteBuf buf = host.transport().alloc().buffer();
    try {
      FrontendMessages.close(buf, (byte) 'S', name);
      FrontendMessages.sync(buf);
    } catch (IllegalArgumentException e) {
      buf.release();
      terminate();
      return false;
    }
    host.transport().send(buf);
    return true;
  }

  @Override
  void onMessage(BackendMessage message, OperationHost host) {
    if (!(message instanceof CloseComplete || message instanceof ErrorResponse)) {
      throw unexpected(message);
    }
  }

  @Override
  boolean onReadyForQuery(OperationHost host) {
    terminate();
    return true;
  }

  @Override
  protected void deliverFailure(OperationHost host, QueryFailure failure) {
    // fire-and-forget: nobody to tell
  }
}
