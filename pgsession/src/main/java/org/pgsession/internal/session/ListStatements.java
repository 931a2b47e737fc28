package org.pgsession.internal.session;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.pgsession.ExtendedQuery;
import org.pgsession.PreparedQuery;
import org.pgsession.internal.protocol.BackendMessage;
import org.pgsession.internal.protocol.BackendMessage.CloseComplete;
import org.pgsession.internal.protocol.BackendMessage.ErrorResponse;
import org.pgsession.internal.protocol.BackendMessage.NoData;
import org.pgsession.internal.protocol.BackendMessage.ParameterDescription;
import org.pgsession.internal.protocol.BackendMessage.ParseComplete;
import org.pgsession.internal.protocol.BackendMessage.RowDescription;
import org.pgsession.internal.protocol.FrontendMessages;
import org.pgsession.internal.protocol.ProtocolViolationException;

/**
 * Statement-cache use for a pipeline or batch. The distinct statements of the list that are not
 * cached yet are prepared first, in one round trip (Parse + Describe each, one Sync); then every
 * query of a cached statement is Bind + Execute of it (binary results, no Describe portal, the
 * entry's row decoder). A statement whose prepare fails, a query whose parameters cannot be
 * encoded, and every query of a list the cache cannot serve (cache off, a list longer than
 * {@link #MAX_QUERIES} or with more distinct statements than the cache holds) run unnamed.
 *
 * <p>Parameters are encoded here once for the whole list (they give the cache keys), so the
 * list is held encoded; that is why long lists keep the unnamed, lazily encoded path.
 */
final class ListStatements {
  /** Longest list encoded up front for the cache. */
  static final int MAX_QUERIES = 10_000;

  private final List<? extends ExtendedQuery> queries;
  private final StatementCache cache;
  /** Per index: the encoded parameters (null: encode at write time); null when not using the cache. */
  private BoundParameters[] params;
  /** Per index: its cache key (shared by a run of queries of one statement), or null. */
  private StatementCache.Key[] keys;
  /** Per index: the cached statement it was written with, or null (unnamed). */
  private StatementCache.Entry[] entries;
  /** The statements being prepared, in write order. */
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private int closesExpected;
  private boolean failed;

  private static final class Pending {
    final StatementCache.Key key;
    final String name;
    boolean parsed;
    int[] paramOids;

    Pending(StatementCache.Key key, String name) {
      this.key = key;
      this.name = name;
    }
  }

  private ListStatements(List<? extends ExtendedQuery> queries, StatementCache cache) {
    this.queries = queries;
    this.cache = cache;
  }

  /**
   * @param queries the list
   * @param host the session
   * @return how the list is written: through the cache where it can, else unnamed
   */
  static ListStatements plan(List<? extends ExtendedQuery> queries, OperationHost host) {
    StatementCache cache = host.statementCache();
    ListStatements plan = new ListStatements(queries, cache);
    if (!cache.enabled() || queries.size() > MAX_QUERIES) {
      return plan;
    }
    BoundParameters[] params = new BoundParameters[queries.size()];
    StatementCache.Key[] keys = new StatementCache.Key[params.length];
    Set<StatementCache.Key> distinct = new HashSet<>();
    Set<StatementCache.Key> missing = new HashSet<>();
    StatementCache.Key previous = null;
    for (int i = 0; i < params.length; i++) {
      if (!(queries.get(i) instanceof PreparedQuery pq)) {
        continue;
      }
      try {
        params[i] = BoundParameters.encode(pq, host.registry(), host.descriptions());
      } catch (BoundParameters.EncodeFailure e) {
        continue; // fails when written, in its turn
      }
      if (previous != null && previous.sql().equals(pq.sql())
          && java.util.Arrays.equals(previous.oids(), params[i].oids())) {
        keys[i] = previous;
        continue; // the same statement as the one before: a batch of one statement needs one look-up
      }
      StatementCache.Key key = new StatementCache.Key(pq.sql(), params[i].oids());
      keys[i] = key;
      previous = key;
      if (distinct.add(key) && distinct.size() > cache.capacity()) {
        plan.pending.clear();
        return plan; // preparing them all would evict some before they run: unnamed
      }
      if (cache.lookup(key) == null && missing.add(key)) {
        plan.pending.add(new Pending(key, null));
      }
    }
    plan.params = params;
    plan.keys = keys;
    plan.entries = new StatementCache.Entry[params.length];
    return plan;
  }

  /**
   * Sends Parse + Describe of every statement of the list not cached yet and one Sync (evicted
   * statements' Close messages ride along). Nothing is sent when every statement is cached or
   * one cannot be written (the protocol cannot carry its SQL: the list then runs unnamed and
   * that query fails in its turn).
   *
   * @param host the session
   * @return whether the prepare was sent (its answers and ReadyForQuery come first)
   */
  boolean sendPrepare(OperationHost host) {
    if (pending.isEmpty()) {
      return false;
    }
    ByteBuf buf = host.transport().alloc().buffer();
    if (writePrepare(buf)) {
      host.transport().send(buf);
      return true;
    }
    buf.release();
    return false;
  }

  private boolean writePrepare(ByteBuf buf) {
    ArrayDeque<Pending> named = new ArrayDeque<>(pending.size());
    try {
      closesExpected = cache.writePendingCloses(buf);
      for (Pending p : pending) {
        Pending withName = new Pending(p.key, cache.newName());
        StatementCache.writePrepare(buf, withName.name, p.key.sql(), p.key.oids());
        named.add(withName);
      }
    } catch (IllegalArgumentException e) {
      buf.clear();
      pending.clear();
      params = null;
      entries = null;
      return false;
    }
    pending.clear();
    pending.addAll(named);
    FrontendMessages.sync(buf);
    cache.closesSent();
    return true;
  }

  /**
   * One answer of the prepare round trip.
   *
   * @param message the message
   * @throws ProtocolViolationException when it does not belong to the prepare
   */
  void onPrepareMessage(BackendMessage message) {
    if (message instanceof CloseComplete && closesExpected > 0) {
      closesExpected--;
      return;
    }
    Pending p = pending.peekFirst();
    if (p == null || failed) {
      throw new ProtocolViolationException("unexpected " + message.getClass().getSimpleName()
          + " while preparing a pipeline's statements");
    }
    if (message instanceof ParseComplete) {
      p.parsed = true;
    } else if (message instanceof ParameterDescription pd) {
      p.paramOids = pd.typeOids();
    } else if (message instanceof RowDescription || message instanceof NoData) {
      if (!p.parsed || p.paramOids == null) {
        throw new ProtocolViolationException("statement description before ParseComplete and ParameterDescription");
      }
      cache.add(p.key, p.name, p.paramOids, message instanceof RowDescription rd ? rd.fields() : null);
      pending.pollFirst();
    } else if (message instanceof ErrorResponse) {
      if (p.parsed) {
        cache.discard(p.name); // exists on the server, never used
      }
      failed = true; // the server skipped the rest: those queries run unnamed
    } else {
      throw new ProtocolViolationException("unexpected " + message.getClass().getSimpleName()
          + " while preparing a pipeline's statements");
    }
  }

  /** The prepare's ReadyForQuery. */
  void prepared() {
    pending.clear();
    closesExpected = 0;
  }

  /**
   * Writes index i: Bind + Execute of its cached statement, or Parse (unnamed) + Bind +
   * Describe portal + Execute. No Sync.
   *
   * @param buf the buffer
   * @param host the session
   * @param i the index
   * @throws BoundParameters.EncodeFailure when a parameter cannot be encoded
   * @throws IllegalArgumentException when the protocol cannot carry the query
   */
  void writeQuery(ByteBuf buf, OperationHost host, int i) throws BoundParameters.EncodeFailure {
    ExtendedQuery q = queries.get(i);
    BoundParameters p = params != null ? params[i] : null;
    StatementCache.Entry e = null;
    if (p != null) {
      params[i] = null; // written once
      e = cache.lookup(keys[i]);
    } else {
      p = BoundParameters.encode(q, host.registry(), host.descriptions());
    }
    if (e != null) {
      StatementCache.writeBind(buf, e, p, 0);
      entries[i] = e;
      return;
    }
    short[] formats = ExtendedWrites.knownFormats(q, p, host.descriptions());
    ExtendedWrites.parseIfUnnamed(buf, q, p);
    ExtendedWrites.bindDescribeExecute(buf, q, p, formats == null ? new short[0] : formats, 0);
  }

  /**
   * About how many bytes indexes {@code from} to {@code to - 1} take when written, so a chunk's
   * buffer is sized once instead of grown (and copied) while writing.
   *
   * @param from first index
   * @param to after the last index
   * @return the estimate (at most 1 MiB: bigger chunks grow as they need)
   */
  int sizeHint(int from, int to) {
    long bytes = 5; // the Sync
    for (int i = from; i < to && bytes < (1 << 20); i++) {
      BoundParameters p = params != null ? params[i] : null;
      if (p != null) {
        bytes += 64 + p.dataLength() + 4L * p.count(); // Bind (name, formats) + Execute
      } else {
        bytes += queries.get(i) instanceof PreparedQuery pq ? 160 + pq.sql().length() + 16L * pq.params().size() : 160;
      }
    }
    return (int) Math.min(bytes, 1 << 20);
  }

  /**
   * Before index i's rows or completion: a cached statement sends no RowDescription, so the
   * collector takes the entry's columns.
   *
   * @param collector the collector
   * @param i the index answering now
   */
  void describeCached(ResultCollector collector, int i) {
    if (entries != null && i < entries.length && entries[i] != null && entries[i].decoder != null
        && !collector.described()) {
      collector.describe(entries[i].decoder);
    }
  }

  /**
   * @param i the index that failed
   * @param error the server's error: a rejected cached statement leaves the cache
   * @return the error to report: a lost cached statement's says which setting to change
   */
  org.pgsession.ErrorResponseMessage onError(int i, org.pgsession.ErrorResponseMessage error) {
    if (entries != null && i < entries.length && entries[i] != null && StatementCache.isInvalidation(error)) {
      cache.drop(entries[i]);
      entries[i] = null;
      return StatementCache.lost(error);
    }
    return error;
  }
}
