package org.pgsession.r2dbc;

import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.RowMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import org.pgsession.Column;

/**
 * The columns of a result. Names are looked up case-insensitively; with duplicate names the
 * first column of that name wins (R2DBC's rule).
 */
final class Metadata implements RowMetadata {
  private final List<ColumnMetadata> columns;
  private final Map<String, Integer> byName;

  Metadata(List<Column> columns) {
    List<ColumnMetadata> list = new ArrayList<>(columns.size());
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      list.add(new ColumnInfo(columns.get(i)));
      names.putIfAbsent(columns.get(i).name().toLowerCase(Locale.ROOT), i);
    }
    this.columns = Collections.unmodifiableList(list);
    this.byName = names;
  }

  int size() {
    return columns.size();
  }

  /** @throws IndexOutOfBoundsException for an index outside the columns */
  int checkIndex(int index) {
    if (index < 0 || index >= columns.size()) {
      throw new IndexOutOfBoundsException("column index " + index + " outside 0.." + (columns.size() - 1));
    }
    return index;
  }

  /** @throws NoSuchElementException for a name no column has */
  int indexOf(String name) {
    if (name == null) {
      throw new IllegalArgumentException("name must not be null");
    }
    Integer i = byName.get(name.toLowerCase(Locale.ROOT));
    if (i == null) {
      throw new NoSuchElementException("no column named '" + name + "' among " + columns);
    }
    return i;
  }

  @Override
  public ColumnMetadata getColumnMetadata(int index) {
    return columns.get(checkIndex(index));
  }

  @Override
  public ColumnMetadata getColumnMetadata(String name) {
    return columns.get(indexOf(name));
  }

  @Override
  public List<? extends ColumnMetadata> getColumnMetadatas() {
    return columns;
  }

  @Override
  public boolean contains(String columnName) {
    return columnName != null && byName.containsKey(columnName.toLowerCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return "RowMetadata" + columns;
  }
}
