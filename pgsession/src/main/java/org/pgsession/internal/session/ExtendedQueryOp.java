package org.pgsession.internal.session;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.List;
import org.pgsession.ClientQueryError.DataError;
import org.pgsession.ExtendedQuery;
import org.pgsession.PreparedQuery;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultReceiver;
import org.pgsession.SimpleResult;
import org.pgsession.internal.protocol.BackendMessage;
import org.pgsession.internal.protocol.BackendMessage.BindComplete;
import org.pgsession.internal.protocol.BackendMessage.CommandComplete;
import org.pgsession.internal.protocol.BackendMessage.DataRow;
import org.pgsession.internal.protocol.BackendMessage.EmptyQueryResponse;
import org.pgsession.internal.protocol.BackendMessage.ErrorResponse;
import org.pgsession.internal.protocol.BackendMessage.NoData;
import org.pgsession.internal.protocol.BackendMessage.ParameterDescription;
import org.pgsession.internal.protocol.BackendMessage.ParseComplete;
import org.pgsession.internal.protocol.BackendMessage.RowDescription;
import org.pgsession.internal.protocol.FrontendMessages;

/**
 * One extended-protocol execution with a single result. Parameters are encoded before
 * anything is written. When the statement's columns are not known yet, it first sends
 * Parse + Describe + Flush to learn them, so that every column the registry can decode in
 * binary is asked for in binary; otherwise everything goes in one write.
 */
final class ExtendedQueryOp extends Operation {
  private enum Phase { DESCRIBING, EXECUTING, DRAINING }

  private final ExtendedQuery query;
  private final ResultReceiver receiver;
  private BoundParameters params;
  private ResultCollector collector;
  private Phase phase;
  /** Between CopyOutResponse and CopyDone of a COPY TO STDOUT this op refused. */
  private boolean drainingCopyOut;

  ExtendedQueryOp(ExtendedQuery query, ResultReceiver receiver, Duration timeout) {
    super(timeout);
    this.query = query;
    this.receiver = receiver;
  }

  @Override
  boolean start(OperationHost host) {
    collector = new ResultCollector(host.registry());
    params = encodeOrFail(host, query);
    if (params == null) {
      return false;
    }
    return sendOrFail(host, "query", buf -> {
      short[] formats = ExtendedWrites.knownFormats(query, params, host.descriptions());
      ExtendedWrites.parseIfUnnamed(buf, query, params);
      if (formats == null) {
        FrontendMessages.describe(buf, (byte) 'S', "");
        FrontendMessages.flush(buf);
        phase = Phase.DESCRIBING;
      } else {
        writeExecute(buf, formats);
      }
    });
  }

  private void writeExecute(ByteBuf buf, short[] resultFormats) {
    ExtendedWrites.bindDescribeExecute(buf, query, params, resultFormats, 0);
    FrontendMessages.sync(buf);
    phase = Phase.EXECUTING;
  }

  @Override
  void onMessage(BackendMessage message, OperationHost host) {
    if (phase == Phase.DESCRIBING) {
      onDescribing(message, host);
      return;
    }
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
      if (query instanceof PreparedQuery pq) {
        // Keep the remembered columns current: the table may have changed since (DDL).
        host.descriptions().rememberSql(pq.sql(), params, columnOids(rd.fields()));
      }
    } else if (message instanceof CommandComplete cc) {
      Result result = collector.complete(query, cc.tag());
      succeed(host, result);
    } else if (message instanceof EmptyQueryResponse) {
      succeed(host, new SimpleResult(query));
    } else if (message instanceof ErrorResponse err) {
      fail(host, err.error());
    } else if (message instanceof BackendMessage.CopyInResponse) {
      ByteBuf buf = host.transport().alloc().buffer();
      FrontendMessages.copyFail(buf, "COPY FROM STDIN is not supported through execute(); use Session.copyIn()");
      host.transport().send(buf);
    } else if (message instanceof BackendMessage.CopyOutResponse) {
      drainingCopyOut = true; // the data that follows is skipped up to CopyDone
      fail(host, new DataError("COPY TO STDOUT is not supported through execute(); use Session.copyOut()"));
    } else if (drainingCopyOut && message instanceof BackendMessage.CopyDone) {
      drainingCopyOut = false;
    } else if (!(message instanceof ParseComplete || message instanceof BindComplete || message instanceof NoData
        || drainingCopyOut && message instanceof BackendMessage.CopyData)) {
      throw unexpected(message);
    }
  }

  private void onDescribing(BackendMessage message, OperationHost host) {
    String sql = ((PreparedQuery) query).sql();
    if (message instanceof ParseComplete || message instanceof ParameterDescription) {
      return;
    }
    if (message instanceof RowDescription || message instanceof NoData) {
      int[] oids = message instanceof RowDescription rd ? columnOids(rd.fields()) : new int[0];
      short[] formats = host.descriptions().rememberSql(sql, params, oids);
      ByteBuf buf = host.transport().alloc().buffer();
      writeExecute(buf, formats);
      host.transport().send(buf);
    } else if (message instanceof ErrorResponse err) {
      fail(host, err.error());
      phase = Phase.DRAINING;
      ByteBuf buf = host.transport().alloc().buffer(5);
      FrontendMessages.sync(buf); // the server skips to Sync after an error; we sent only Flush
      host.transport().send(buf);
    } else {
      throw unexpected(message);
    }
  }

  static int[] columnOids(List<BackendMessage.FieldDescription> fields) {
    int[] oids = new int[fields.size()];
    for (int i = 0; i < oids.length; i++) {
      oids[i] = fields.get(i).typeOid();
    }
    return oids;
  }

  private void succeed(OperationHost host, Result result) {
    if (terminate()) {
      Callbacks.run("pgQueryResult", () -> receiver.pgQueryResult(host.session(), result));
    }
  }

  @Override
  boolean onReadyForQuery(OperationHost host) {
    if (phase == Phase.DESCRIBING) {
      throw new org.pgsession.internal.protocol.ProtocolViolationException(
          "ReadyForQuery before the statement description");
    }
    if (!terminated()) {
      throw new org.pgsession.internal.protocol.ProtocolViolationException(
          "ReadyForQuery without CommandComplete or ErrorResponse");
    }
    return true;
  }

  @Override
  protected void deliverFailure(OperationHost host, QueryFailure failure) {
    Callbacks.run("pgQueryFailed", () -> receiver.pgQueryFailed(host.session(), query, failure));
  }
}
