package org.pgsession.r2dbc;

import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.pgsession.PreparedQuery;
import org.pgsession.Query;
import org.pgsession.SimpleQuery;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A SQL statement with {@code $1, $2, ...} parameters, bound by index (0 is {@code $1}) or by
 * name ({@code "$1"}). Without parameters it runs through the simple query protocol, so it may
 * hold several statements ({@code "SELECT 1; SELECT 2"}: one result each); with parameters each
 * binding set runs as one extended-protocol execution, one result per set. {@code fetchSize(n)}
 * streams the rows in windows of {@code n} driven by the result's demand.
 */
final class PgsessionStatement implements Statement {
  private final PgsessionConnection connection;
  private final String sql;
  private final int parameters;
  private final List<Object[]> bindings = new ArrayList<>();
  private Object[] current;
  private String[] generatedColumns;
  private int fetchSize;

  PgsessionStatement(PgsessionConnection connection, String sql) {
    this.connection = connection;
    this.sql = sql;
    this.parameters = SqlParameters.count(sql);
    this.current = new Object[parameters];
  }

  @Override
  public Statement add() {
    checkComplete(current);
    bindings.add(current);
    current = new Object[parameters];
    return this;
  }

  @Override
  public Statement bind(int index, Object value) {
    current[checkIndex(index)] = Binding.accept(value);
    return this;
  }

  @Override
  public Statement bind(String name, Object value) {
    return bind(indexOf(name), value);
  }

  @Override
  public Statement bindNull(int index, Class<?> type) {
    current[checkIndex(index)] = Binding.acceptNull(type);
    return this;
  }

  @Override
  public Statement bindNull(String name, Class<?> type) {
    return bindNull(indexOf(name), type);
  }

  /** Appends {@code RETURNING} with the columns, or every column ({@code *}) when none are named. */
  @Override
  public Statement returnGeneratedValues(String... columns) {
    Args.notNull(columns, "columns");
    for (String c : columns) {
      Args.notNull(c, "column");
    }
    generatedColumns = columns.clone();
    return this;
  }

  /** Streams the rows in windows of {@code rows} (0: the whole result at once, the default). */
  @Override
  public Statement fetchSize(int rows) {
    if (rows < 0) {
      throw new IllegalArgumentException("fetch size must not be negative, was " + rows);
    }
    fetchSize = rows;
    return this;
  }

  @Override
  public Flux<Result> execute() {
    List<Object[]> sets = new ArrayList<>(bindings);
    if (parameters > 0) {
      if (!isEmpty(current) || sets.isEmpty()) {
        checkComplete(current);
        sets.add(current);
      } else {
        throw new IllegalStateException("add() was called after the last binding set: bind its values, or drop the add()");
      }
    }
    String text = generatedColumns == null ? sql : withReturning(sql, generatedColumns);
    int windows = fetchSize;
    return connection.run(Flux.defer(() -> {
      if (sets.isEmpty()) {
        return windows > 0 ? Flux.just(connection.streamed(PreparedQuery.of(text), text, windows))
            : connection.executeAll(new SimpleQuery(text), text);
      }
      return Flux.fromIterable(sets).concatMap(set -> params(set).flatMapMany(values -> {
        PreparedQuery query = new PreparedQuery(text, values);
        return windows > 0 ? Flux.just(connection.streamed(query, text, windows)) : connection.executeAll(query, text);
      }));
    }));
  }

  private static Mono<List<Object>> params(Object[] set) {
    if (Arrays.stream(set).noneMatch(Binding::needsResolve)) {
      List<Object> values = new ArrayList<>(set.length);
      for (Object kept : set) {
        values.add(Binding.plain(kept));
      }
      return Mono.just(values);
    }
    // NULL stays a sentinel until the list is built: a Reactor sequence cannot carry null
    return Flux.fromArray(set).concatMap(Binding::resolve).collectList().map(resolved -> {
      List<Object> values = new ArrayList<>(resolved.size());
      for (Object v : resolved) {
        values.add(Binding.plain(v));
      }
      return values;
    });
  }

  static String withReturning(String sql, String[] columns) {
    String trimmed = sql.strip();
    while (trimmed.endsWith(";")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
    }
    return trimmed + " RETURNING " + (columns.length == 0 ? "*" : String.join(", ", columns));
  }

  private int checkIndex(int index) {
    if (index < 0 || index >= parameters) {
      throw new IndexOutOfBoundsException("parameter index " + index + " outside 0.." + (parameters - 1)
          + " (the statement has " + parameters + " parameters)");
    }
    return index;
  }

  private int indexOf(String name) {
    Args.notNull(name, "name");
    if (name.length() > 1 && name.charAt(0) == '$') {
      try {
        int n = Integer.parseInt(name.substring(1));
        if (n >= 1 && n <= parameters) {
          return n - 1;
        }
      } catch (NumberFormatException notANumber) {
        // fall through to the error below
      }
    }
    throw new NoSuchElementException("no parameter named '" + name + "' in the statement (names are $1..$"
        + parameters + ")");
  }

  private static boolean isEmpty(Object[] set) {
    return Arrays.stream(set).allMatch(v -> v == null);
  }

  private void checkComplete(Object[] set) {
    for (int i = 0; i < set.length; i++) {
      if (set[i] == null) {
        throw new IllegalStateException("parameter $" + (i + 1) + " is not bound");
      }
    }
  }

  @Override
  public String toString() {
    return "PgsessionStatement[" + sql + "]";
  }
}
