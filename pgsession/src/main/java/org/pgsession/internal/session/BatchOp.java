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
 * An atomic batch: Parse/Bind/Describe/Execute for every query and one Sync for all of them,
 * so outside a transaction block the server runs the list as one implicit transaction. After
 * an error the server skips to the Sync: the failing index gets the error, every later index
 * {@link ClientQueryError.PipelineAborted}. A query that cannot be encoded or written gets a
 * DataError and, so that the earlier ones are rolled back too, the batch writes a message the
 * server rejects (Execute of a portal that does not exist) before the Sync. Written in chunks
 * while the channel is writable; the Sync goes out early once an error arrived.
 *
 * <p>A result that cannot be decoded gives its index a DataError but does not abort the batch:
 * the server ran the statement. The last index's result is held until ReadyForQuery: an error
 * at commit (a deferred constraint) arrives after it and becomes that index's failure.
 */
final class BatchOp extends Operation implements FlowControlled {
  private static final int CHUNK_QUERIES = 256;
  /** A portal name no session creates: executing it fails, which aborts the batch server-side. */
  private static final String MISSING_PORTAL = "pgsession batch aborted";

  private final List<? extends ExtendedQuery> queries;
  private final PipelineReceiver receiver;
  private int nextToWrite;
  private boolean syncWritten;
  /** The index whose answers arrive now. */
  private int cursor;
  private boolean cursorAnswered;
  /** The index that failed (server error or client failure); later ones are aborted. -1: none. */
  private int failedIndex = -1;
  /** The index that could not be written, and why; -1: none. */
  private int unwritableIndex = -1;
  private DataError unwritable;
  private ResultCollector collector;
  /** The last index's result, delivered at ReadyForQuery unless the commit fails. */
  private Result lastResult;
  private ListStatements statements;
  /** Preparing the list's uncached statements: their ReadyForQuery comes before the batch's. */
  private boolean preparing;

  BatchOp(List<? extends ExtendedQuery> queries, PipelineReceiver receiver, Duration timeout) {
    super(timeout);
    this.queries = queries;
    this.receiver = receiver;
  }

  @Override
  boolean start(OperationHost host) {
    if (queries.isEmpty()) {
      complete(host); // like an empty pipeline: nothing to run, nothing written
      return false;
    }
    collector = new ResultCollector(host.registry());
    statements = ListStatements.plan(queries, host);
    preparing = statements.sendPrepare(host);
    if (preparing) {
      return true; // the queries follow the prepare's ReadyForQuery
    }
    writeMore(host);
    return true;
  }

  /** Writes whatever the channel can take now; called again when it becomes writable. */
  private void writeMore(OperationHost host) {
    while (!syncWritten && host.transport().isWritable() && !terminated() && !preparing) {
      int end = Math.min(queries.size(), nextToWrite + CHUNK_QUERIES);
      ByteBuf buf = host.transport().alloc().buffer(statements.sizeHint(nextToWrite, end));
      while (nextToWrite < end && unwritableIndex < 0 && failedIndex < 0) {
        writeOne(host, buf, nextToWrite++);
      }
      if (nextToWrite == queries.size() || unwritableIndex >= 0 || failedIndex >= 0) {
        FrontendMessages.sync(buf);
        syncWritten = true;
      }
      host.transport().send(buf);
    }
  }

  private void writeOne(OperationHost host, ByteBuf buf, int index) {
    int mark = buf.writerIndex();
    try {
      statements.writeQuery(buf, host, index);
    } catch (BoundParameters.EncodeFailure | IllegalArgumentException e) {
      buf.writerIndex(mark);
      unwritableIndex = index;
      unwritable = new DataError("query " + index + ": " + e.getMessage());
      FrontendMessages.execute(buf, MISSING_PORTAL, 0); // fails, so the Sync rolls back
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
    if ((message instanceof DataRow || message instanceof CommandComplete) && cursor < queries.size()) {
      statements.describeCached(collector, cursor);
    }
    if (message instanceof DataRow row) {
      if (!cursorAnswered) {
        try {
          collector.row(row);
        } catch (RowDecoder.DecodeFailure e) {
          answer(host, null, new DataError(e.getMessage()));
        }
      }
    } else if (message instanceof RowDescription rd) {
      collector.describe(rd.fields());
    } else if (message instanceof CommandComplete cc) {
      checkCursor(message);
      completed(host, collector.complete(queries.get(cursor), cc.tag()));
    } else if (message instanceof EmptyQueryResponse) {
      checkCursor(message);
      completed(host, new SimpleResult(queries.get(cursor)));
    } else if (message instanceof ErrorResponse err) {
      if (failedIndex < 0 && cursor == queries.size()) {
        reopenLast(); // the implicit commit failed: the last index gets the error, not its result
      }
      checkCursor(message);
      org.pgsession.ErrorResponseMessage error = statements.onError(cursor, err.error());
      answer(host, null, cursor == unwritableIndex ? unwritable : error);
      failedIndex = cursor;
      writeMore(host); // the server skips to the Sync: send it now if still unwritten
    } else if (!(message instanceof ParseComplete || message instanceof BindComplete || message instanceof NoData)) {
      throw unexpected(message);
    }
  }

  private void checkCursor(BackendMessage message) {
    if (failedIndex >= 0 || cursor >= nextToWrite) {
      throw unexpected(message);
    }
  }

  private void completed(OperationHost host, Result result) {
    if (cursor == queries.size() - 1 && !cursorAnswered) {
      lastResult = result; // delivered at ReadyForQuery, after a possible commit error
    } else {
      answer(host, result, null);
    }
    collector.reset();
    cursor++;
    cursorAnswered = false;
  }

  /** Back to the last index: its held result is dropped (it failed after all). */
  private void reopenLast() {
    cursor = queries.size() - 1;
    cursorAnswered = lastResult == null; // a decode failure was delivered already
    lastResult = null;
  }

  /** Delivers the cursor's result or failure, unless it already has one. */
  private void answer(OperationHost host, Result result, QueryFailure failure) {
    if (cursorAnswered) {
      return;
    }
    cursorAnswered = true;
    int i = cursor;
    if (failure == null) {
      Callbacks.run("pgPipelineResult", () -> receiver.pgPipelineResult(host.session(), i, result));
    } else {
      ExtendedQuery q = queries.get(i);
      Callbacks.run("pgPipelineFailed", () -> receiver.pgPipelineFailed(host.session(), i, q, failure));
    }
  }

  @Override
  boolean onReadyForQuery(OperationHost host) {
    if (preparing) {
      preparing = false;
      statements.prepared();
      writeMore(host); // now the batch
      return false;
    }
    if (failedIndex < 0 && cursor < queries.size()) {
      throw new ProtocolViolationException("ReadyForQuery before batch query " + cursor + " was answered");
    }
    if (lastResult != null) {
      Result r = lastResult;
      lastResult = null;
      int i = queries.size() - 1;
      Callbacks.run("pgPipelineResult", () -> receiver.pgPipelineResult(host.session(), i, r));
    }
    failRest(host, new ClientQueryError.PipelineAborted());
    complete(host);
    return true;
  }

  /** Fails every index after the cursor. */
  private void failRest(OperationHost host, QueryFailure failure) {
    for (int i = cursor + 1; i < queries.size(); i++) {
      int index = i;
      ExtendedQuery q = queries.get(i);
      Callbacks.run("pgPipelineFailed", () -> receiver.pgPipelineFailed(host.session(), index, q, failure));
    }
  }

  private void complete(OperationHost host) {
    if (terminate()) {
      Callbacks.run("pgPipelineComplete", () -> receiver.pgPipelineComplete(host.session()));
    }
  }

  @Override
  protected void deliverFailure(OperationHost host, QueryFailure failure) {
    // Shutdown: the cursor gets the cause, every later index is aborted or closed, then complete.
    if (lastResult != null) {
      reopenLast(); // the commit never completed
    }
    if (cursor < queries.size()) {
      answer(host, null, cursor == unwritableIndex ? unwritable : failure);
      failRest(host, failedIndex >= 0 ? new ClientQueryError.PipelineAborted() : new ClientQueryError.SessionClosed());
    }
    Callbacks.run("pgPipelineComplete", () -> receiver.pgPipelineComplete(host.session()));
  }
}
