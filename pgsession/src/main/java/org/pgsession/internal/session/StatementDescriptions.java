package org.pgsession.internal.session;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pgsession.types.CodecRegistry;

/**
 * What the session knows of statements' result columns, to choose result formats at Bind
 * time: binary for every column whose type the registry decodes in binary, text otherwise.
 * Unnamed statements are remembered by SQL and parameter types (bounded LRU); named ones from
 * {@code prepare} until they are closed.
 */
final class StatementDescriptions {
  private static final int MAX_UNNAMED = 512;
  private static final short[] ALL_TEXT = new short[0];

  private final CodecRegistry registry;
  private final Map<StatementCache.Key, short[]> unnamed = new LinkedHashMap<>(64, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<StatementCache.Key, short[]> eldest) {
      return size() > MAX_UNNAMED;
    }
  };
  private final Map<String, short[]> named = new HashMap<>();
  private final Map<String, int[]> namedParams = new HashMap<>();

  StatementDescriptions(CodecRegistry registry) {
    this.registry = registry;
  }

  /** @return result format codes for an unnamed statement, or null when unknown */
  short[] forSql(String sql, BoundParameters params) {
    return unnamed.get(new StatementCache.Key(sql, params.oids()));
  }

  /** @return result format codes for a named statement (all text when unknown) */
  short[] forName(String name) {
    short[] f = named.get(name);
    return f == null ? ALL_TEXT : f;
  }

  /**
   * Records the described column types of an unnamed statement.
   *
   * <p>The unnamed statement is parsed again at every execution, so its columns may change
   * (DDL) after they were remembered. The cache therefore keeps only a single format code for
   * every column (all binary, or all text), which the server applies to any number of columns;
   * a per-column list would make Bind fail (08P01) once the column count changes.
   *
   * @return the formats for a Bind right after this description (may be per column)
   */
  short[] rememberSql(String sql, BoundParameters params, int[] columnOids) {
    short[] formats = formatsFor(columnOids);
    unnamed.put(new StatementCache.Key(sql, params.oids()), formats.length > 1 ? ALL_TEXT : formats);
    return formats;
  }

  /** Records the described column types of a named statement. */
  void rememberName(String name, int[] columnOids) {
    named.put(name, formatsFor(columnOids));
  }

  /** Records the parameter types the server gave a named statement. */
  void rememberNameParams(String name, int[] paramOids) {
    namedParams.put(name, paramOids.clone());
  }

  /** @return the parameter types of a named statement, or null when unknown */
  int[] paramTypes(String name) {
    return namedParams.get(name);
  }

  /** Forgets a closed named statement. */
  void forgetName(String name) {
    named.remove(name);
    namedParams.remove(name);
  }

  private short[] formatsFor(int[] columnOids) {
    short[] formats = new short[columnOids.length];
    boolean allSame = true;
    for (int i = 0; i < columnOids.length; i++) {
      formats[i] = (short) (registry.hasBinaryCodec(columnOids[i]) ? 1 : 0);
      allSame &= formats[i] == formats[0];
    }
    if (columnOids.length == 0 || (allSame && formats[0] == 0)) {
      return ALL_TEXT;
    }
    return allSame ? new short[] {1} : formats; // one code applies to every column
  }
}
