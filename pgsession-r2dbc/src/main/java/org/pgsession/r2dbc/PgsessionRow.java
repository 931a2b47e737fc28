package org.pgsession.r2dbc;

import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import java.util.List;
import org.pgsession.Column;

/** One row of a result as R2DBC {@link Row}, over the driver's decoded row. */
final class PgsessionRow implements Row {
  private final org.pgsession.Row row;
  private final List<Column> columns;
  private final Metadata metadata;

  PgsessionRow(org.pgsession.Row row, List<Column> columns, Metadata metadata) {
    this.row = row;
    this.columns = columns;
    this.metadata = metadata;
  }

  @Override
  public RowMetadata getMetadata() {
    return metadata;
  }

  @Override
  public <T> T get(int index, Class<T> type) {
    metadata.checkIndex(index);
    return Decoding.as(row.get(index), columns.get(index).typeOid(), type, columns.get(index).name());
  }

  @Override
  public <T> T get(String name, Class<T> type) {
    return get(metadata.indexOf(name), type);
  }

  @Override
  public Object get(int index) {
    return get(index, Object.class);
  }

  @Override
  public Object get(String name) {
    return get(metadata.indexOf(name), Object.class);
  }

  @Override
  public String toString() {
    return "Row" + row.fields();
  }
}
