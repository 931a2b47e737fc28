package org.pgsession.internal.session;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.List;
import org.pgsession.ClientQueryError;
import org.pgsession.ClientQueryError.DataError;
import org.pgsession.ExtendedQuery;
import org.pgsession.PipelineReceiver;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.SimpleResult;
import org.pgsession.internal.protocol.BackendMessage;
import org.pgsession.internal.protocol.BackendMessage.BindComplete;
import org.pgsession.internal.protocol.BackendMessage.CommandComplete;
import org.pgsession.internal.protocol.BackendMessage.DataRow;
import org.pgsession.internal.protocol.BackendMessage.EmptyQueryResponse;
import org.pgsession.internal.protocol.BackendMessage.ErrorResponse;
import org.pgsession.internal.protocol.BackendMessage.NoData;
import org.pgsession.internal.protocol.BackendMessage.ParseComplete;
import org.pgsession.internal.protocol.BackendMessage.RowDescription;
import org.pgsession.internal.protocol.FrontendMessages;
import org.pgsession.internal.protocol.ProtocolViolationException;

/**
 * Many extended queries, each with its own Sync so a failure stays with its index. Written in
 * chunks while the channel is writable (reading goes on meanwhile, so neither side's send
 * buffer can deadlock the other). Each index gets exactly one result or failure, in order,
 * then {@code pgPipelineComplete}. With the statement cache, the list's new statements are
 * prepared first in one round trip and every query binds its cached statement (binary
 * results); otherwise result formats come from known statement descriptions and statements not
 * seen before are read in text format (same Java values). See {@link ListStatements}.
 */
final class PipelineOp extends Operation implements FlowControlled {
  private static final int CHUNK_QUERIES = 256;

  private final List<? extends ExtendedQuery> queries;
  private final PipelineReceiver receiver;
  /** Per index: the encoding failure that kept it from being sent, or null. */
  private final DataError[] unsent;
  private int nextToWrite;
  /** The index whose answers arrive now. */
  private int cursor;
  private boolean cursorAnswered;
  /** The cursor's result, delivered at its ReadyForQuery unless the implicit commit fails first. */
  private Result pending;
  private ResultCollector collector;
  private ListStatements statements;
  /** Preparing the list's uncached statements: their ReadyForQuery comes before the queries'. */
  private boolean preparing;

  PipelineOp(List<? extends ExtendedQuery> queries, PipelineReceiver receiver, Duration timeout) {
    super(timeout);
    this.queries = queries;
    this.receiver = receiver;
    this.unsent = new DataError[queries.size()];
  }

  @Override
  boolean start(OperationHost host) {
    collector = new ResultCollector(host.registry());
    statements = ListStatements.plan(queries, host);
    preparing = statements.sendPrepare(host);
    if (preparing) {
      return true; // the queries follow the prepare's ReadyForQuery
    }
    skipUnsent(host);
    if (cursor == queries.size()) {
      complete(host);
      return false;
    }
    return true;
  }

  /** Writes whatever the channel can take now; called again when it becomes writable. */
  private void writeMore(OperationHost host) {
    while (nextToWrite < queries.size() && host.transport().isWritable() && !terminated() && !preparing) {
      int end = Math.min(queries.size(), nextToWrite + CHUNK_QUERIES);
      ByteBuf buf = host.transport().alloc().buffer(statements.sizeHint(nextToWrite, end) + 5 * (end - nextToWrite));
      for (; nextToWrite < end; nextToWrite++) {
        if (unsent[nextToWrite] == null) {
          writeOne(host, buf, nextToWrite);
        }
      }
      if (buf.isReadable()) {
        host.transport().send(buf);
      } else {
        buf.release();
      }
    }
  }

  private void writeOne(OperationHost host, ByteBuf buf, int index) {
    int mark = buf.writerIndex();
    try {
      statements.writeQuery(buf, host, index);
      FrontendMessages.sync(buf);
    } catch (BoundParameters.EncodeFailure | RuntimeException e) {
      // any failure writing one query stays with its index: earlier ones may already be sent
      buf.writerIndex(mark);
      unsent[index] = new DataError("query " + index + ": " + e.getMessage());
    }
  }

  @Override
  public void onWritable(OperationHost host) {
    writeMore(host);
  }

  @Override
  void onMessage(BackendMessage message, OperationHost host) {
    if (preparing) {
      statements.onPrepareMessage(message);
      return;
    }
    if (message instanceof DataRow || message instanceof CommandComplete) {
      statements.describeCached(collector, cursor);
    }
    if (message instanceof DataRow row) {
      if (!cursorAnswered) {
        try {
          collector.row(row);
        } catch (RowDecoder.DecodeFailure e) {
          failIndex(host, new DataError(e.getMessage()));
        }
      }
    } else if (message instanceof RowDescription rd) {
      collector.describe(rd.fields());
    } else if (message instanceof CommandComplete cc) {
      pending = collector.complete(queries.get(cursor), cc.tag());
    } else if (message instanceof EmptyQueryResponse) {
      pending = new SimpleResult(queries.get(cursor));
    } else if (message instanceof ErrorResponse err) {
      pending = null; // e.g. a deferred constraint failing at commit, after CommandComplete
      failIndex(host, statements.onError(cursor, err.error()));
    } else if (!(message instanceof ParseComplete || message instanceof BindComplete || message instanceof NoData)) {
      throw unexpected(message);
    }
  }

  private void succeedIndex(OperationHost host, Result r) {
    if (!cursorAnswered) {
      cursorAnswered = true;
      int i = cursor;
      Callbacks.run("pgPipelineResult", () -> receiver.pgPipelineResult(host.session(), i, r));
    }
  }

  private void failIndex(OperationHost host, QueryFailure f) {
    if (!cursorAnswered) {
      cursorAnswered = true;
      int i = cursor;
      ExtendedQuery q = queries.get(i);
      Callbacks.run("pgPipelineFailed", () -> receiver.pgPipelineFailed(host.session(), i, q, f));
    }
  }

  @Override
  boolean onReadyForQuery(OperationHost host) {
    if (preparing) {
      preparing = false;
      statements.prepared();
      skipUnsent(host); // now the queries
      if (cursor == queries.size()) {
        complete(host);
        return true;
      }
      return false;
    }
    if (pending != null) {
      succeedIndex(host, pending);
      pending = null;
    }
    if (!cursorAnswered) {
      throw new ProtocolViolationException("ReadyForQuery without a result for pipeline query " + cursor);
    }
    collector.reset();
    cursor++;
    cursorAnswered = false;
    skipUnsent(host);
    if (cursor == queries.size()) {
      complete(host);
      return true;
    }
    return false;
  }

  /** Delivers, in order, the failures of indexes that were never sent; writes more as needed. */
  private void skipUnsent(OperationHost host) {
    while (true) {
      if (cursor >= nextToWrite) {
        writeMore(host); // the encoding of the next ones decides whether they are sent
      }
      if (cursor < queries.size() && unsent[cursor] != null) {
        failIndex(host, unsent[cursor]);
        cursor++;
        cursorAnswered = false;
      } else {
        return;
      }
    }
  }

  private void complete(OperationHost host) {
    if (terminate()) {
      Callbacks.run("pgPipelineComplete", () -> receiver.pgPipelineComplete(host.session()));
    }
  }

  @Override
  protected void deliverFailure(OperationHost host, QueryFailure failure) {
    pending = null; // its commit never completed
    // Shutdown: every index not yet answered fails (the current one with the cause), then complete.
    for (int i = cursor; i < queries.size(); i++) {
      if (i == cursor && cursorAnswered) {
        continue;
      }
      QueryFailure f = i == cursor ? failure : unsent[i] != null ? unsent[i] : new ClientQueryError.SessionClosed();
      int index = i;
      ExtendedQuery q = queries.get(i);
      Callbacks.run("pgPipelineFailed", () -> receiver.pgPipelineFailed(host.session(), index, q, f));
    }
    Callbacks.run("pgPipelineComplete", () -> receiver.pgPipelineComplete(host.session()));
  }
}
