package org.pgsession.internal.session;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.List;
import org.pgsession.ClientQueryError.DataError;
import org.pgsession.ExtendedQuery;
import org.pgsession.NamedPreparedQuery;
import org.pgsession.PreparedQuery;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultReceiver;
import org.pgsession.SimpleResult;
import org.pgsession.TransactionStatus;
import org.pgsession.internal.protocol.BackendMessage;
import org.pgsession.internal.protocol.BackendMessage.BindComplete;
import org.pgsession.internal.protocol.BackendMessage.CloseComplete;
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
 * anything is written.
 *
 * <p>With the statement cache on, a {@code PreparedQuery} seen before is one write of
 * Bind (cached named statement) + Execute + Sync; a new one first sends Parse (named) +
 * Describe statement + Flush and enters the cache when described. A cached statement the
 * server rejects (see {@link StatementCache#isInvalidation}) is dropped, and outside a
 * transaction block prepared and run again once, so the receiver sees one success.
 *
 * <p>For pipelining (see {@link #writesEverythingAtStart}): a cached execution writes its whole
 * sequence, ending with Sync, in {@code start()}. Its transparent retry after an invalidation
 * writes again after ReadyForQuery, so it is only safe while nothing was written behind it; a
 * pipelining session must call {@link #forbidRetry} for an execution it wrote others behind
 * (the invalidation is then reported, the entry still dropped).
 *
 * <p>Without the cache (size 0) and for user-named statements: when the statement's columns
 * are not known yet, it first sends Parse + Describe + Flush to learn them, so that every
 * column the registry can decode in binary is asked for in binary; otherwise everything goes
 * in one write.
 */
final class ExtendedQueryOp extends Operation {
  private enum Phase { DESCRIBING, PREPARING, EXECUTING, DRAINING }

  private final ExtendedQuery query;
  private final ResultReceiver receiver;
  private BoundParameters params;
  private ResultCollector collector;
  private Phase phase;
  /** Between CopyOutResponse and CopyDone of a COPY TO STDOUT this op refused. */
  private boolean drainingCopyOut;
  /** Cache path: the key, the statement being prepared or run, and the retry state. */
  private StatementCache.Key key;
  private StatementCache.Entry entry;
  private String preparing;
  private int[] describedParams;
  private boolean parsed;
  private boolean retried;
  private boolean retryPending;
  private QueryFailure retryError;
  private boolean succeeded;
  /** The statement's result, held until ReadyForQuery: the implicit COMMIT at Sync may still fail. */
  private Result pendingResult;

  ExtendedQueryOp(ExtendedQuery query, ResultReceiver receiver, Duration timeout) {
    super(timeout);
    this.query = query;
    this.receiver = receiver;
  }

  @Override
  boolean pipelinable(OperationHost host) {
    if (statementTimeout() != null) {
      return false;
    }
    if (query instanceof NamedPreparedQuery nq) {
      // Unknown parameter types (a prepare still unanswered) would encode differently.
      if (host.descriptions().paramTypes(nq.name()) == null || host.copyInStatements().contains(nq.name())) {
        return false;
      }
    } else if (WrittenOperations.mayCopyIn(((PreparedQuery) query).sql())) {
      return false;
    }
    if (params == null) {
      try {
        params = BoundParameters.encode(query, host.registry(), host.descriptions());
      } catch (BoundParameters.EncodeFailure e) {
        return false; // start() fails it, in its turn
      }
    }
    if (query instanceof PreparedQuery pq && host.statementCache().enabled()) {
      return host.statementCache().lookup(new StatementCache.Key(pq.sql(), params.oids())) != null; // else prepare
    }
    return ExtendedWrites.knownFormats(query, params, host.descriptions()) != null; // else Describe first
  }

  @Override
  boolean holdsWritesBehind() {
    // A retry (and a prepare or describe) writes again before its ReadyForQuery.
    return retryPending || phase == Phase.PREPARING || phase == Phase.DESCRIBING;
  }

  @Override
  boolean start(OperationHost host) {
    collector = new ResultCollector(host.registry());
    if (params == null) {
      params = encodeOrFail(host, query);
    }
    if (params == null) {
      return false;
    }
    StatementCache cache = host.statementCache();
    if (query instanceof PreparedQuery pq && cache.enabled()) {
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
        FrontendMessages.flush(buf);
        phase = Phase.DESCRIBING;
      } else {
        writeExecute(buf, formats);
      }
    });
  }

  /**
   * @return after {@code start()}: whether every message of this execution, up to its Sync, was
   *     written (a cache hit, or known formats without the cache), so it may be pipelined
   */
  boolean writesEverythingAtStart() {
    return phase == Phase.EXECUTING;
  }

  /** Others were written behind this execution: report an invalidation instead of retrying. */
  void forbidRetry() {
    retried = true;
  }

  /** One write: Bind/Execute/Sync of the cached statement, or Parse/Describe/Flush of a new one. */
  private boolean startCached(OperationHost host, StatementCache cache) {
    int hint = ExtendedWrites.sizeHint(entry == null ? ((PreparedQuery) query).sql() : null, params)
        + 32 * cache.pendingCloseCount();
    boolean sent = sendOrFail(host, "query", hint, buf -> {
      ExtendedWrites.checkBindLength(params);
      cache.writePendingCloses(buf);
      if (entry != null) {
        writeCachedExecute(buf);
      } else {
        writePrepare(host, buf);
      }
    });
    if (sent) {
      cache.closesSent();
    }
    return sent;
  }

  private void writePrepare(OperationHost host, ByteBuf buf) {
    preparing = host.statementCache().newName();
    parsed = false;
    describedParams = null;
    StatementCache.writePrepare(buf, preparing, ((PreparedQuery) query).sql(), params.oids());
    FrontendMessages.flush(buf);
    phase = Phase.PREPARING;
  }

  private void writeCachedExecute(ByteBuf buf) {
    StatementCache.writeBind(buf, entry, params, 0);
    FrontendMessages.sync(buf);
    if (entry.decoder != null) {
      collector.describe(entry.decoder); // no Describe portal: the entry knows the columns
    }
    phase = Phase.EXECUTING;
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
    if (phase == Phase.PREPARING) {
      onPreparing(message, host);
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
    } else if (message instanceof ErrorResponse err && pendingResult != null) {
      // After CommandComplete: the commit failed (a deferred constraint, serialization): nothing
      // the statement did stays, so the result is never reported.
      pendingResult = null;
      fail(host, err.error());
    } else if (message instanceof ErrorResponse err) {
      if (entry != null && StatementCache.isInvalidation(err.error())) {
        host.statementCache().drop(entry);
        // Bind failed before any row: outside a block nothing ran, so running it again is safe.
        // The status of the last ReadyForQuery is the one this operation ran in (pipelined too).
        boolean idle = host.transactionStatus() == TransactionStatus.IDLE;
        retryPending = idle && !retried && !terminated() && !host.writtenBehindHead();
        retryError = StatementCache.lost(err.error());
        if (!retryPending) {
          fail(host, retryError);
        }
      } else if (!retryPending) {
        fail(host, err.error());
      }
    } else if (message instanceof BackendMessage.CopyInResponse) {
      ByteBuf buf = host.transport().alloc().buffer();
      FrontendMessages.copyFail(buf, "COPY FROM STDIN is not supported through execute(); use Session.copyIn()");
      FrontendMessages.sync(buf); // the server ignored our Sync in COPY mode and now skips to the next one
      host.transport().send(buf);
    } else if (message instanceof BackendMessage.CopyOutResponse) {
      drainingCopyOut = true; // the data that follows is skipped up to CopyDone
      fail(host, new DataError("COPY TO STDOUT is not supported through execute(); use Session.copyOut()"));
    } else if (drainingCopyOut && message instanceof BackendMessage.CopyDone) {
      drainingCopyOut = false;
    } else if (!(message instanceof ParseComplete || message instanceof BindComplete || message instanceof NoData
        || message instanceof CloseComplete || drainingCopyOut && message instanceof BackendMessage.CopyData)) {
      throw unexpected(message);
    }
  }

  /** Cache path, a new statement: Parse named + Describe statement answered. */
  private void onPreparing(BackendMessage message, OperationHost host) {
    if (message instanceof CloseComplete) {
      return;
    }
    if (message instanceof ParseComplete) {
      parsed = true;
    } else if (message instanceof ParameterDescription pd) {
      describedParams = pd.typeOids();
    } else if (message instanceof RowDescription || message instanceof NoData) {
      if (!parsed || describedParams == null) {
        throw new org.pgsession.internal.protocol.ProtocolViolationException(
            "statement description before ParseComplete and ParameterDescription");
      }
      List<BackendMessage.FieldDescription> fields = message instanceof RowDescription rd ? rd.fields() : null;
      StatementCache cache = host.statementCache();
      entry = cache.add(key, preparing, describedParams, fields);
      preparing = null;
      // Pipelines still run unnamed statements; let them ask for binary too.
      host.descriptions().rememberSql(((PreparedQuery) query).sql(), params,
          fields == null ? new int[0] : columnOids(fields));
      int hint = ExtendedWrites.sizeHint(null, params) + 32 * cache.pendingCloseCount();
      ByteBuf buf = host.transport().alloc().buffer(hint);
      cache.writePendingCloses(buf); // an eviction's Close rides along
      writeCachedExecute(buf);
      cache.closesSent();
      host.transport().send(buf);
    } else if (message instanceof ErrorResponse err) {
      if (parsed) {
        host.statementCache().discard(preparing); // exists on the server, never used
      }
      preparing = null;
      fail(host, err.error());
      phase = Phase.DRAINING;
      ByteBuf buf = host.transport().alloc().buffer(5);
      FrontendMessages.sync(buf); // the server skips to Sync after an error; we sent only Flush
      host.transport().send(buf);
    } else {
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
    if (!terminated() && pendingResult == null) {
      pendingResult = result;
    }
  }

  @Override
  boolean onReadyForQuery(OperationHost host) {
    if (phase == Phase.DESCRIBING || phase == Phase.PREPARING) {
      throw new org.pgsession.internal.protocol.ProtocolViolationException(
          "ReadyForQuery before the statement description");
    }
    if (retryPending && host.writtenBehindHead()) {
      retryPending = false; // pipelined operations follow: running it again would overtake them
      fail(host, retryError);
    }
    if (retryPending) {
      retryPending = false;
      retried = true;
      entry = null;
      collector.reset();
      return !startCached(host, host.statementCache()); // stays in flight: prepare and run again
    }
    if (pendingResult != null && terminate()) {
      Result result = pendingResult;
      pendingResult = null;
      succeeded = true;
      Callbacks.run("pgQueryResult", () -> receiver.pgQueryResult(host.session(), result));
    }
    if (!terminated()) {
      throw new org.pgsession.internal.protocol.ProtocolViolationException(
          "ReadyForQuery without CommandComplete or ErrorResponse");
    }
    if (succeeded) { // at ReadyForQuery, so the session's transaction status is current
      Callbacks.run("pgQueryComplete", () -> receiver.pgQueryComplete(host.session(), query));
    }
    return true;
  }

  @Override
  protected void deliverFailure(OperationHost host, QueryFailure failure) {
    Callbacks.run("pgQueryFailed", () -> receiver.pgQueryFailed(host.session(), query, failure));
  }
}
