package org.pgsession;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** The rows of a result, with their columns. Immutable; equality by value. */
public final class Rows implements Iterable<Row> {
  private final List<Column> columns;
  private final List<Row> rows;

  /**
   * @param columns the columns
   * @param rows the rows (each with as many fields as there are columns)
   */
  public Rows(List<Column> columns, List<Row> rows) {
    this.columns = List.copyOf(columns);
    this.rows = Collections.unmodifiableList(rows);
  }

  /**
   * @return number of rows
   */
  public int size() {
    return rows.size();
  }

  /**
   * @param index 0-based row index
   * @return that row
   */
  public Row get(int index) {
    return rows.get(index);
  }

  /**
   * @return the columns, in order
   */
  public List<Column> columns() {
    return columns;
  }

  /**
   * @return the rows as a stream
   */
  public Stream<Row> stream() {
    return rows.stream();
  }

  /**
   * @return an iterator over the rows
   */
  @Override
  public Iterator<Row> iterator() {
    return rows.iterator();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rows r && columns.equals(r.columns) && rows.equals(r.rows);
  }

  @Override
  public int hashCode() {
    return Objects.hash(columns, rows);
  }

  @Override
  public String toString() {
    return "Rows[columns=" + columns + ", rows=" + rows + "]";
  }
}
