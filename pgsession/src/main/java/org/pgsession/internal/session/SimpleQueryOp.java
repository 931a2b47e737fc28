package org.pgsession.internal.session;

import io.netty.buffer.ByteBuf;
import org.pgsession.ClientQueryError.DataError;
import org.pgsession.QueryFailure;
import org.pgsession.ResultReceiver;
import org.pgsession.SimpleQuery;
import org.pgsession.SimpleResult;
import org.pgsession.internal.protocol.BackendMessage;
import org.pgsession.internal.protocol.BackendMessage.CommandComplete;
import org.pgsession.internal.protocol.BackendMessage.CopyData;
import org.pgsession.internal.protocol.BackendMessage.CopyDone;
import org.pgsession.internal.protocol.BackendMessage.CopyInResponse;
import org.pgsession.internal.protocol.BackendMessage.CopyOutResponse;
import org.pgsession.internal.protocol.BackendMessage.DataRow;
import org.pgsession.internal.protocol.BackendMessage.EmptyQueryResponse;
import org.pgsession.internal.protocol.BackendMessage.ErrorResponse;
import org.pgsession.internal.protocol.BackendMessage.RowDescription;
import org.pgsession.internal.protocol.FrontendMessages;

/**
 * A simple-protocol Query: one result per statement, delivered as each completes; the first
 * failure (server error or decode failure) is terminal and later results are dropped.
 */
final class SimpleQueryOp extends Operation {
  private final SimpleQuery query;
  private final ResultReceiver receiver;
  private ResultCollector collector;
  private boolean copyRefused;

  private int resultsDelivered;

  SimpleQueryOp(SimpleQuery query, ResultReceiver receiver, java.time.Duration timeout) {
    super(timeout);
    this.query = query;
    this.receiver = receiver;
  }

  @Override
  boolean pipelinable(OperationHost host) {
    return statementTimeout() == null && !WrittenOperations.mayCopyIn(query.sql());
  }

  @Override
  boolean start(OperationHost host) {
    collector = new ResultCollector(host.registry());
    return sendOrFail(host, "query", buf -> FrontendMessages.query(buf, query.sql()));
  }

  @Override
  void onMessage(BackendMessage message, OperationHost host) {
    if (message instanceof DataRow row) {
      if (!terminated()) {
        try {
          collector.row(row);
        } catch (RowDecoder.DecodeFailure e) {
          fail(host, new DataError(e.getMessage()));
        }
      }
    } else if (message instanceof RowDescription rd) {
      collector.describe(rd.fields());
    } else if (message instanceof CommandComplete cc) {
      if (!terminated() && !copyRefused) {
        var result = collector.complete(query, cc.tag());
        resultsDelivered++;
        Callbacks.run("pgQueryResult", () -> receiver.pgQueryResult(host.session(), result));
      }
      collector.reset();
    } else if (message instanceof EmptyQueryResponse) {
      if (!terminated()) {
        resultsDelivered++;
        Callbacks.run("pgQueryResult", () -> receiver.pgQueryResult(host.session(), new SimpleResult(query)));
      }
    } else if (message instanceof ErrorResponse err) {
      fail(host, err.error());
    } else if (message instanceof CopyInResponse) {
      // COPY FROM STDIN needs copyIn(); refuse it so the server ends the statement with an error.
      ByteBuf buf = host.transport().alloc().buffer();
      FrontendMessages.copyFail(buf, "COPY FROM STDIN is not supported through execute(); use Session.copyIn()");
      host.transport().send(buf);
    } else if (message instanceof CopyOutResponse) {
      copyRefused = true;
      fail(host, new DataError("COPY TO STDOUT is not supported through execute(); use Session.copyOut()"));
    } else if (!(copyRefused && (message instanceof CopyData || message instanceof CopyDone))) {
      throw unexpected(message);
    }
  }

  @Override
  boolean answeredSoFar() {
    return resultsDelivered > 0;
  }

  @Override
  void endAnswered(OperationHost host) {
    if (terminate()) { // the receiver's exactly-one terminal callback, though the close cut the rest
      Callbacks.run("pgQueryComplete", () -> receiver.pgQueryComplete(host.session(), query));
    }
  }

  @Override
  boolean onReadyForQuery(OperationHost host) {
    if (terminate()) { // success: every statement's result was delivered as it completed
      Callbacks.run("pgQueryComplete", () -> receiver.pgQueryComplete(host.session(), query));
    }
    return true;
  }

  @Override
  protected void deliverFailure(OperationHost host, QueryFailure failure) {
    Callbacks.run("pgQueryFailed", () -> receiver.pgQueryFailed(host.session(), query, failure));
  }
}
