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
 *
 * <p>Read-ahead: once the first window has come back suspended (so the portal returns rows and
 * a further Execute is valid; on a finished portal it only yields another CommandComplete),
 * the server is kept one window ahead of the receiver: the next window's Execute is already
 * queued at the server when the current window ends, so the backend does not wait for a round
 * trip per window. A window read ahead is held (at most one) until {@code fetchMore()}; a
 * close drops it. The first window is not read ahead: a portal that completes at once
 * (DML without RETURNING, utility) would reject a second Execute.
 * With the statement cache on, the portal is bound to a cached named statement (prepared
 * first when new; re-prepared once when the server rejects it outside a transaction block).
 */
final class StreamOp extends Operation {
  private enum State { DESCRIBING, FETCHING, ENDING }

  private final ExtendedQuery query;
  private final int windowSize;
  private final StreamingResultReceiver receiver;
  /** Windows the server may produce beyond those the receiver asked for: 0 or 1. */
  private final int readAhead;
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
  /** Window counts: asked for by the receiver (the first by stream itself), Execute messages
   * written, windows ended (PortalSuspended or CommandComplete), windows delivered. */
  private int requested;
  private int executed;
  private int ended;
  private int delivered;
  /** A window read ahead that the receiver has not asked for yet (null: none, or no rows). */
  private Rows held;
  private boolean portalDone;

  StreamOp(ExtendedQuery query, int windowSize, StreamingResultReceiver receiver, Duration timeout,
      boolean readAhead) {
    super(timeout);
    this.readAhead = readAhead ? 1 : 0;
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
        firstExecuteWritten();
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
    firstExecuteWritten();
  }

  @Override
  void onMessage(BackendMessage message, OperationHost host) {
    if (state == State.ENDING && !(message instanceof ErrorResponse)) {
      return; // windows still in flight when the stream ended: dropped; ReadyForQuery follows
    }
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
      onWindowEnd(host, false);
    } else if (message instanceof CommandComplete) {
      onWindowEnd(host, true);
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
      onError(host, err);
    } else if (message instanceof BackendMessage.EmptyQueryResponse) {
      end(host, false); // an empty query: no rows, no CommandComplete; Sync ends the exchange
    } else if (!(message instanceof BindComplete || message instanceof NoData || message instanceof CloseComplete)) {
      throw unexpected(message);
    }
  }

  private void onError(OperationHost host, ErrorResponse err) {
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
    end(host, false); // the server skips to Sync after an error, windows read ahead included
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
    firstExecuteWritten();
    host.transport().send(buf);
  }

  /**
   * A window ended: PortalSuspended, or CommandComplete for the portal's last rows. A window
   * the receiver asked for is delivered; a window read ahead is held until {@code fetchMore}.
   */
  private void onWindowEnd(OperationHost host, boolean portalEnd) {
    ended++;
    portalDone |= portalEnd;
    if (timedOut && !terminated()) {
      fail(host, new org.pgsession.ClientQueryError.StatementTimedOut(statementTimeout()));
    }
    if (terminated() || closeRequested) {
      end(host, !portalEnd);
      return;
    }
    anyBatch |= !portalEnd;
    Rows batch = collector.described() ? collector.takeBatch() : null;
    if (ended > requested) {
      held = batch; // read ahead: waits for fetchMore
      return;
    }
    deliver(host, batch);
    afterDelivery(host);
  }

  private void deliver(OperationHost host, Rows batch) {
    delivered++;
    if (batch == null || batch.size() == 0) {
      return; // only the portal's end comes without rows: no empty batch, only pgStreamComplete
    }
    Callbacks.run("pgStreamBatch", () -> receiver.pgStreamBatch(host.session(), batch));
  }

  /**
   * After a delivery: a window the receiver asked for meanwhile is handed over if it is
   * already here; the portal's end sends Sync; otherwise the server is kept one window ahead.
   */
  private void afterDelivery(OperationHost host) {
    // A close ends the stream at once (state ENDING), so only ending and failure stop here.
    while (!terminated() && state != State.ENDING && delivered < requested && delivered < ended) {
      Rows next = held;
      held = null;
      deliver(host, next);
    }
    if (terminated() || state == State.ENDING) {
      return;
    }
    if (portalDone && delivered == ended) {
      end(host, false);
    } else if (!portalDone && executed < requested + readAhead) {
      ByteBuf buf = host.transport().alloc().buffer(16 * (1 + readAhead) + 5);
      while (executed < requested + readAhead) {
        FrontendMessages.execute(buf, "", windowSize);
        executed++;
      }
      FrontendMessages.flush(buf);
      host.transport().send(buf);
    }
  }

  /** The first Execute of the portal is written: the window counts start. */
  private void firstExecuteWritten() {
    state = State.FETCHING;
    requested = 1;
    executed = 1;
    ended = 0;
    delivered = 0;
    held = null;
    portalDone = false;
  }

  /**
   * The statement timeout expired. The server ignores a CancelRequest while the portal waits
   * for the client, so a stream with no Execute in flight (its receiver holds a window, the
   * window read ahead has arrived too) is ended here: it fails with StatementTimedOut and the
   * portal is closed; the session stays usable. An Execute in flight is cancelled; a window
   * that arrives after the timer ends the stream the same way.
   *
   * @param host the session
   * @return true when no CancelRequest is needed
   */
  boolean timeOutLocally(OperationHost host) {
    timedOut = true;
    if (state == State.FETCHING && executed == ended && !terminated()) {
      fail(host, new org.pgsession.ClientQueryError.StatementTimedOut(statementTimeout()));
      end(host, !portalDone);
      return true;
    }
    return state == State.ENDING; // only ReadyForQuery is missing; the grace period guards it
  }

  /** @param candidate a receiver @return whether this stream delivers to it */
  boolean owns(StreamingResultReceiver candidate) {
    return receiver == candidate;
  }

  /**
   * The receiver wants the next window: a no-op unless every window asked for so far has been
   * delivered. A window already read ahead is delivered in a task of its own, so that a
   * {@code closeStream()} issued right after {@code fetchMore()} still drops it, as it drops a
   * window in flight. Like {@link #close}, runs in a task of its own (SessionMachine posts it),
   * never inside {@code pgStreamBatch}.
   */
  void fetchMore(OperationHost host) {
    if (state != State.FETCHING || terminated() || delivered < requested) {
      return;
    }
    requested++;
    if (delivered < ended) {
      host.transport().loop().execute(() -> afterDelivery(host));
    } else {
      afterDelivery(host);
    }
  }

  /** The receiver wants to stop early: windows in flight are dropped, the portal closed. */
  void close(OperationHost host) {
    if (terminated() || closeRequested || state == State.ENDING) {
      return;
    }
    closeRequested = true;
    held = null;
    if (state == State.FETCHING) {
      end(host, !portalDone);
    } // else: the statement is being prepared; the first window's end closes the stream
  }

  /** Ends the exchange once: optionally Close the portal, then Sync. */
  private void end(OperationHost host, boolean closePortal) {
    if (state == State.ENDING) {
      return;
    }
    state = State.ENDING;
    ByteBuf buf = host.transport().alloc().buffer(closePortal ? 12 : 5);
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
