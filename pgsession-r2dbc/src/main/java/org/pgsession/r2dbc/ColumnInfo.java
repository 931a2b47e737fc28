package org.pgsession.r2dbc;

import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.Nullability;
import io.r2dbc.spi.Type;
import org.pgsession.Column;

/** R2DBC metadata of one result column: its name and {@link PgsessionType}. */
final class ColumnInfo implements ColumnMetadata {
  private final Column column;
  private final PgsessionType type;

  ColumnInfo(Column column) {
    this.column = column;
    this.type = PgsessionType.of(column.typeOid());
  }

  @Override
  public Type getType() {
    return type;
  }

  /** @return the Java type {@code Row.get(i)} returns for this column */
  @Override
  public Class<?> getJavaType() {
    return type.javaType();
  }

  @Override
  public String getName() {
    return column.name();
  }

  /** The server does not say whether a result column may be null. */
  @Override
  public Nullability getNullability() {
    return Nullability.UNKNOWN;
  }

  /** @return the type OID, PostgreSQL's own type identifier */
  @Override
  public Integer getNativeTypeMetadata() {
    return column.typeOid();
  }

  @Override
  public String toString() {
    return "Column[" + column.name() + " " + type.name() + "]";
  }
}
