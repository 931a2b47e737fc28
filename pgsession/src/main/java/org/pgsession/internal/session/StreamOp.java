package org.pgsession.internal.session;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import org.pgsession.ClientQueryError.DataError;
import org.pgsession.ExtendedQuery;
import org.pgsession.PreparedQuery;
import org.pgsession.QueryFailure;
import org.pgsession.Rows;
import org.pgsession.StreamingResultReceiver;
import org.pgsession.internal.protocol.BackendMessage;
import org.pgsession.internal.protocol.BackendMessage.BindComplete;
import org.pgsession.internal.protocol.BackendMessage.CloseComplete;
import org.pgsession.internal.protocol.BackendMessage.CommandComplete;
import org.pgsession.internal.protocol.BackendMessage.DataRow;
import org.pgsession.internal.protocol.BackendMessage.ErrorResponse;
import org.pgsession.internal.protocol.BackendMessage.NoData;
import org.pgsession.internal.protocol.BackendMessage.ParameterDescription;
import org.pgsession.internal.protocol.BackendMessage.ParseComplete;
import org.pgsession.internal.protocol.BackendMessage.PortalSuspended;
import org.pgsession.internal.protocol.BackendMessage.RowDescription;
import org.pgsession.internal.protocol.FrontendMessages;

/**
 * A portal read in windows: Execute(windowSize) + Flush, one {@code pgStreamBatch} per window,
 * the next only after {@code fetchMore()}. No Sync until the end, so the unnamed portal
 * survives outside a transaction block. {@code closeStream()} sends Close portal + Sync.
 * With the statement cache on, the portal is bound to a cached named statement (prepared
 * first when new; re-prepared once when the server rejects it outside a transaction block).
 */
final class StreamOp extends Operation {
  private enum State { DESCRIBING, FETCHING, SUSPENDED, ENDING }

  private final ExtendedQuery query;
  private final int windowSize;
  private final StreamingResultReceiver receiver;
  private BoundParameters params;
  private ResultCollector collector;
  private State state;
  private boolean closeRequested;
  private boolean timedOut;
  /** Statement cache path (see ExtendedQueryOp): key, entry, statement being prepared, retry. */
  private StatementCache.Key key;
  private StatementCache.Entry entry;
  private String preparing;
  private int[] describedParams;
  private boolean parsed;
  private boolean retried;
  private boolean retryPending;
  private boolean idleAtStart;
  private boolean anyBatch;

  StreamOp(ExtendedQuery query, int windowSize, StreamingResultReceiver receiver, Duration timeout) {
    super(timeout);
    this.query = query;
    this.windowSize = windowSize;
    this.receiver = receiver;
  }

  @Override
  boolean start(OperationHost host) {
    collector = new ResultCollector(host.registry());
    params = encodeOrFail(host, query);
    if (params == null) {
      return false;
    }
    StatementCache cache = host.statementCache();
    if (query instanceof PreparedQuery pq && cache.enabled()) {
      idleAtStart = host.transactionStatus() == org.pgsession.TransactionStatus.IDLE;
      key = new StatementCache.Key(pq.sql(), params.oids());
      entry = cache.lookup(key);
      return startCached(host, cache);
    }
    String parsedSql = query instanceof PreparedQuery pq ? pq.sql() : null;
    return sendOrFail(host, "query", ExtendedWrites.sizeHint(parsedSql, params), buf -> {
      ExtendedWrites.checkBindLength(params);
      short[] formats = ExtendedWrites.knownFormats(query, params, host.descriptions());
      ExtendedWrites.parseIfUnnamed(buf, query, params);
      if (formats == null) {
        FrontendMessages.describe(buf, (byte) 'S', "");
        state = State.DESCRIBING;
      } else {
        ExtendedWrites.bindDescribeExecute(buf, query, params, formats, windowSize);
        state = State.FETCHING;
      }
      FrontendMessages.flush(buf);
    });
  }

  private boolean startCached(OperationHost host, StatementCache cache) {
    int hint = ExtendedWrites.sizeHint(entry == null ? ((PreparedQuery) query).sql() : null, params)
        + 32 * cache.pendingCloseCount();
    boolean sent = sendOrFail(host, "query", hint, buf -> {
      ExtendedWrites.checkBindLength(params);
      cache.writePendingCloses(buf);
      if (entry != null) {
        writeCachedExecute(buf);
      } else {
        preparing = cache.newName();
        parsed = false;
        describedParams = null;
        StatementCache.writePrepare(buf, preparing, ((PreparedQuery) query).sql(), params.oids());
        FrontendMessages.flush(buf);
        state = State.DESCRIBING;
      }
    });
    if (sent) {
      cache.closesSent();
    }
    return sent;
  }

  private void writeCachedExecute(ByteBuf buf) {
    StatementCache.writeBind(buf, entry, params, windowSize);
    FrontendMessages.flush(buf);
    if (entry.decoder != null) {
      collector.describe(entry.decoder);
    }
    state = State.FETCHING;
  }

  @Override
  void onMessage(BackendMessage message, OperationHost host) {
    if (message instanceof ParseComplete) {
      parsed = true;
    } else if (message instanceof ParameterDescription pd) {
      describedParams = pd.typeOids();
    } else if (message instanceof DataRow row) {
      if (!terminated()) {
        try {
          collector.row(row);
        } catch (RowDecoder.DecodeFailure e) {
          fail(host, new DataError(e.getMessage()));
        }
      }
    } else if (message instanceof PortalSuspended) {
      onWindowEnd(host);
    } else if (message instanceof CommandComplete) {
      if (!terminated() && !closeRequested && collector.described()) {
        Rows last = collector.takeBatch();
        if (last.size() > 0) {
          Callbacks.run("pgStreamBatch", () -> receiver.pgStreamBatch(host.session(), last));
        }
      }
      end(host, false);
    } else if (state == State.DESCRIBING && preparing != null
        && (message instanceof RowDescription || message instanceof NoData)) {
      prepared(host, message instanceof RowDescription rd ? rd.fields() : null);
    } else if (message instanceof RowDescription rd && state == State.DESCRIBING) {
      described(host, ExtendedQueryOp.columnOids(rd.fields()));
    } else if (message instanceof NoData && state == State.DESCRIBING) {
      described(host, new int[0]);
    } else if (message instanceof RowDescription rd) {
      collector.describe(rd.fields());
    } else if (message instanceof ErrorResponse err) {
      if (preparing != null && parsed) {
        host.statementCache().discard(preparing); // exists on the server, never used
      }
      preparing = null;
      if (entry != null && state == State.FETCHING && StatementCache.isInvalidation(err.error())) {
        host.statementCache().drop(entry);
        retryPending = idleAtStart && !retried && !terminated() && !closeRequested && !anyBatch
            && collector.isEmpty();
        if (!retryPending) {
          fail(host, StatementCache.lost(err.error()));
        }
      } else if (!retryPending) {
        fail(host, err.error());
      }
      if (state != State.ENDING) {
        end(host, false); // the server skips to Sync after an error
      }
    } else if (message instanceof BackendMessage.EmptyQueryResponse) {
      end(host, false); // an empty query: no rows, no CommandComplete; Sync ends the exchange
    } else if (!(message instanceof BindComplete || message instanceof NoData || message instanceof CloseComplete)) {
      throw unexpected(message);
    }
  }

  /** Cache path: the new statement is described; it enters the cache and the portal is bound. */
  private void prepared(OperationHost host, java.util.List<BackendMessage.FieldDescription> fields) {
    if (!parsed || describedParams == null) {
      throw new org.pgsession.internal.protocol.ProtocolViolationException(
          "statement description before ParseComplete and ParameterDescription");
    }
    StatementCache cache = host.statementCache();
    entry = cache.add(key, preparing, describedParams, fields);
    preparing = null;
    int hint = ExtendedWrites.sizeHint(null, params) + 32 * cache.pendingCloseCount();
    ByteBuf buf = host.transport().alloc().buffer(hint);
    cache.writePendingCloses(buf);
    writeCachedExecute(buf);
    cache.closesSent();
    host.transport().send(buf);
  }

  private void described(OperationHost host, int[] columnOids) {
    short[] formats = host.descriptions().rememberSql(((PreparedQuery) query).sql(), params, columnOids);
    ByteBuf buf = host.transport().alloc().buffer();
    ExtendedWrites.bindDescribeExecute(buf, query, params, formats, windowSize);
    FrontendMessages.flush(buf);
    state = State.FETCHING;
    host.transport().send(buf);
  }

  private void onWindowEnd(OperationHost host) {
    if (timedOut && !terminated()) {
      fail(host, new org.pgsession.ClientQueryError.StatementTimedOut(statementTimeout()));
    }
    if (terminated() || closeRequested) {
      end(host, true);
      return;
    }
    state = State.SUSPENDED;
    anyBatch = true;
    Rows batch = collector.takeBatch();
    Callbacks.run("pgStreamBatch", () -> receiver.pgStreamBatch(host.session(), batch));
  }

  /**
   * The statement timeout expired. The server ignores a CancelRequest while the portal waits
   * for the client, so a stream whose receiver holds a window is ended here: it fails with
   * StatementTimedOut and the portal is closed; the session stays usable. A window still in
   * flight ends the same way when it arrives.
   *
   * @param host the session
   * @return true when no CancelRequest is needed
   */
  boolean timeOutLocally(OperationHost host) {
    timedOut = true;
    if (state == State.SUSPENDED && !terminated()) {
      fail(host, new org.pgsession.ClientQueryError.StatementTimedOut(statementTimeout()));
      end(host, true);
      return true;
    }
    return state == State.ENDING; // only ReadyForQuery is missing; the grace period guards it
  }

  /** @param candidate a receiver @return whether this stream delivers to it */
  boolean owns(StreamingResultReceiver candidate) {
    return receiver == candidate;
  }

  /** The receiver wants the next window. */
  void fetchMore(OperationHost host) {
    if (state != State.SUSPENDED || terminated()) {
      return;
    }
    state = State.FETCHING;
    ByteBuf buf = host.transport().alloc().buffer();
    FrontendMessages.execute(buf, "", windowSize);
    FrontendMessages.flush(buf);
    host.transport().send(buf);
  }

  /** The receiver wants to stop early. */
  void close(OperationHost host) {
    if (terminated() || closeRequested || state == State.ENDING) {
      return;
    }
    closeRequested = true;
    if (state == State.SUSPENDED) {
      end(host, true);
    } // else: the window in flight ends first, then onWindowEnd closes
  }

  /** Ends the exchange: optionally Close the portal, then Sync. */
  private void end(OperationHost host, boolean closePortal) {
    state = State.ENDING;
    ByteBuf buf = host.transport().alloc().buffer();
    if (closePortal) {
      FrontendMessages.close(buf, (byte) 'P', "");
    }
    FrontendMessages.sync(buf);
    host.transport().send(buf);
  }

  @Override
  boolean onReadyForQuery(OperationHost host) {
    if (retryPending) {
      retryPending = false;
      retried = true;
      entry = null;
      collector.reset();
      return !startCached(host, host.statementCache()); // stays in flight: prepare and run again
    }
    if (terminate()) {
      Callbacks.run("pgStreamComplete", () -> receiver.pgStreamComplete(host.session()));
    }
    return true;
  }

  @Override
  protected void deliverFailure(OperationHost host, QueryFailure failure) {
    Callbacks.run("pgStreamFailed", () -> receiver.pgStreamFailed(host.session(), query, failure));
  }
}
