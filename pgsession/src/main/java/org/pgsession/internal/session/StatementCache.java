package org.pgsession.internal.session;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.pgsession.internal.protocol.BackendMessage.FieldDescription;
import org.pgsession.internal.protocol.FrontendMessages;
import org.pgsession.types.CodecRegistry;

/**
 * The session's automatic statement cache: a {@code PreparedQuery} whose SQL and declared
 * parameter types were seen before runs through a named server-side statement the driver
 * created, so the server neither parses nor plans it again and the driver neither asks for nor
 * reads a RowDescription (the entry keeps the columns, the result formats and the row decoder).
 *
 * <p>LRU-bounded; an evicted statement's name is queued and its Close is written ahead of the
 * next operation's messages ({@link #writePendingCloses}), whose operation then consumes the
 * CloseComplete. Driver names start with {@link #RESERVED_PREFIX}; user {@code prepare} of
 * such a name is refused so the two never collide.
 *
 * <p>Internal API (for single executions, streams and pipelines):
 * <ol>
 *   <li>{@link #lookup} with the SQL and the parameter OIDs that will be sent in Parse;
 *   <li>on a miss, {@link #newName}, then {@link #writePrepare} (Parse + Describe statement) and
 *       wait for ParseComplete, ParameterDescription and RowDescription/NoData;
 *   <li>{@link #add} with what the server described: the entry to Bind with;
 *   <li>{@link #writeBind} writes Bind (named statement, binary where decodable) and Execute;
 *   <li>on SQLSTATE {@link #isInvalidation invalidation} (0A000, 26000) {@link #drop} the entry.
 * </ol>
 * Everything runs on the session's event loop; the class is not thread-safe.
 */
final class StatementCache {
  /** Prefix of every statement name the driver creates. */
  static final String RESERVED_PREFIX = "_pgs";

  /** SQL text plus the parameter OIDs sent in Parse; hash computed once. */
  static final class Key {
    private final String sql;
    private final int[] oids;
    private final int hash;

    Key(String sql, int[] oids) {
      this.sql = sql;
      this.oids = oids;
      this.hash = sql.hashCode() * 31 + Arrays.hashCode(oids);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.hash == hash && k.sql.equals(sql) && Arrays.equals(k.oids, oids);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    /** @return the SQL text */
    String sql() {
      return sql;
    }

    /** @return the parameter OIDs sent in Parse */
    int[] oids() {
      return oids;
    }
  }

  /** One server-side statement the driver created. */
  static final class Entry {
    final String name;
    /** The name as Bind carries it (UTF-8 and NUL), encoded once. */
    final byte[] nameCStr;
    final int[] paramOids;
    final short[] resultFormats;
    /** The result columns with their formats, or null for a statement returning no rows. */
    final List<FieldDescription> fields;
    /** Decodes this statement's rows; null when it returns none. */
    final RowDecoder decoder;
    private final Key key;

    private Entry(Key key, String name, int[] paramOids, short[] resultFormats, List<FieldDescription> fields,
        RowDecoder decoder) {
      this.key = key;
      this.name = name;
      this.nameCStr = FrontendMessages.cstr(name);
      this.paramOids = paramOids;
      this.resultFormats = resultFormats;
      this.fields = fields;
      this.decoder = decoder;
    }
  }

  private final CodecRegistry registry;
  private final int capacity;
  private final Map<Key, Entry> entries;
  private final List<String> pendingCloses = new ArrayList<>();
  /** Per-session part of every name: two sessions never share a name, even on one backend. */
  private final String sessionTag = Long.toString(ThreadLocalRandom.current().nextLong() >>> 16, 36) + "_";
  private long counter;

  /** @param registry the codecs @param capacity most statements kept (0: disabled) */
  StatementCache(CodecRegistry registry, int capacity) {
    this.registry = registry;
    this.capacity = capacity;
    this.entries = new LinkedHashMap<>(Math.min(capacity, 256) * 2, 0.75f, true);
  }

  /** @return whether the driver may create named statements */
  boolean enabled() {
    return capacity > 0;
  }

  /** @return the most statements kept */
  int capacity() {
    return capacity;
  }

  /** @return the number of cached statements */
  int size() {
    return entries.size();
  }

  /** @param name a statement name @return whether it is in the driver's reserved space */
  static boolean reserved(String name) {
    return name.startsWith(RESERVED_PREFIX);
  }

  /** @return the entry for this SQL and parameter types (now most recently used), or null */
  Entry lookup(Key key) {
    return enabled() ? entries.get(key) : null;
  }

  /** @return a fresh statement name in the reserved space */
  String newName() {
    // Behind a transaction-mode pooler a session's statements land on backends other sessions
    // use: a name shared with another session would bind that session's statement.
    return RESERVED_PREFIX + sessionTag + Long.toString(counter++, 36);
  }

  /** Parse of a named statement + Describe of it (the caller adds Flush or Sync). */
  static void writePrepare(ByteBuf buf, String name, String sql, int[] oids) {
    FrontendMessages.parse(buf, name, sql, oids);
    FrontendMessages.describe(buf, (byte) 'S', name);
  }

  /**
   * Records a statement the server described; may evict the least recently used one (its
   * Close goes out with the next write).
   *
   * @param key SQL and parameter OIDs it was parsed with
   * @param name its name
   * @param paramOids the ParameterDescription's types
   * @param fields the RowDescription's columns (format codes as described: ignored), or null for NoData
   * @return the entry
   */
  Entry add(Key key, String name, int[] paramOids, List<FieldDescription> fields) {
    short[] formats = fields == null ? new short[0] : new short[fields.size()];
    List<FieldDescription> withFormats = null;
    RowDecoder decoder = null;
    if (fields != null) {
      withFormats = new ArrayList<>(fields.size());
      for (int i = 0; i < formats.length; i++) {
        FieldDescription f = fields.get(i);
        formats[i] = (short) (registry.hasBinaryCodec(f.typeOid()) ? 1 : 0);
        withFormats.add(new FieldDescription(f.name(), f.tableOid(), f.columnNumber(), f.typeOid(), f.typeSize(),
            f.typeModifier(), formats[i]));
      }
      withFormats = List.copyOf(withFormats);
      decoder = new RowDecoder(withFormats, registry);
    }
    Entry e = new Entry(key, name, paramOids, compact(formats), withFormats, decoder);
    Entry old = entries.put(key, e);
    if (old != null) {
      pendingCloses.add(old.name);
    }
    while (entries.size() > capacity) {
      Entry eldest = entries.values().iterator().next();
      entries.remove(eldest.key);
      pendingCloses.add(eldest.name);
    }
    return e;
  }

  /** Forgets an entry the server rejected; its statement (if any is left) is closed later. */
  void drop(Entry e) {
    if (entries.get(e.key) == e) {
      entries.remove(e.key);
    }
    pendingCloses.add(e.name);
  }

  /** Queues the Close of a driver statement that never became an entry (e.g. its Describe failed). */
  void discard(String name) {
    pendingCloses.add(name);
  }

  /** Forgets every entry without closing (the server already dropped them all: DISCARD ALL, ...). */
  void clear() {
    entries.clear();
  }

  /**
   * Writes Close statement for every evicted or dropped statement. They stay pending until
   * {@link #closesSent} (a write that fails validation is dropped whole, closes included).
   *
   * @return how many Close messages were written (each answered by a CloseComplete)
   */
  int writePendingCloses(ByteBuf buf) {
    for (String name : pendingCloses) {
      FrontendMessages.close(buf, (byte) 'S', name);
    }
    return pendingCloses.size();
  }

  /** @return how many statements wait for their Close */
  int pendingCloseCount() {
    return pendingCloses.size();
  }

  /** The buffer {@link #writePendingCloses} filled was sent: the closes are no longer pending. */
  void closesSent() {
    pendingCloses.clear();
  }

  /** Bind of the entry's statement to the unnamed portal, then Execute (no Describe portal). */
  static void writeBind(ByteBuf buf, Entry e, BoundParameters params, int maxRows) {
    FrontendMessages.bindUnnamedPortal(buf, e.nameCStr, params.formats(), params, e.resultFormats);
    FrontendMessages.execute(buf, "", maxRows);
  }

  /** @param error a server error @return whether it means a cached statement is no longer usable */
  static boolean isInvalidation(org.pgsession.ErrorResponseMessage error) {
    if ("26000".equals(error.code())) {
      return true; // the statement is gone: DEALLOCATE, DISCARD ALL
    }
    // 0A000 is feature_not_supported in general; only the plan-cache check means "re-prepare".
    return "0A000".equals(error.code()) && (error.routine() == null || error.routine().equals("RevalidateCachedQuery"));
  }

  /**
   * What a cached statement's execution fails with when the server lost the statement and the
   * transparent re-prepare cannot help (inside a transaction, pipelined, or lost again): the
   * server's 26000 error with a hint naming the setting to change. Other errors pass unchanged.
   *
   * @param error the server's error for a cached statement
   * @return the error to report
   */
  static org.pgsession.ErrorResponseMessage lost(org.pgsession.ErrorResponseMessage error) {
    if (!"26000".equals(error.code())) {
      return error;
    }
    String hint = LOST_HINT + (error.hint() != null ? " " + error.hint() : "");
    return new org.pgsession.ErrorResponseMessage(error.severity(), error.localizedSeverity(), error.code(),
        error.message(), error.detail(), hint, error.position(), error.internalPosition(),
        error.internalQuery(), error.where(), error.schemaName(), error.tableName(), error.columnName(),
        error.dataTypeName(), error.constraintName(), error.file(), error.line(), error.routine());
  }

  /** The hint {@link #lost} adds. */
  static final String LOST_HINT = "the server lost a prepared statement of pgsession's statement cache"
      + " (was the session moved to another server connection?): behind PgBouncer in transaction or"
      + " statement mode set statement_cache_size=0 (SessionOptions.withStatementCacheSize(0) or the"
      + " connection option statement_cache_size=0).";

  /** All-same format codes collapse to one (or none for all text): a shorter Bind. */
  private static short[] compact(short[] formats) {
    if (formats.length == 0) {
      return formats;
    }
    for (short f : formats) {
      if (f != formats[0]) {
        return formats;
      }
    }
    return formats[0] == 0 ? new short[0] : new short[] {1};
  }
}
