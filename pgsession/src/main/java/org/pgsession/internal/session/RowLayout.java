package org.pgsession.internal.session;

import java.util.Objects;
import org.pgsession.Row;
import org.pgsession.internal.codec.ColumnDecoder;

/**
 * How a {@link Row} keeps its values, shared by every row of one RowDescription: the column
 * names, and per column whether the value is an object in the row's reference array or a
 * primitive (of a {@link ColumnDecoder} kind) in its long array, and at which slot. Rows then
 * cost two small arrays and no boxes for numbers.
 */
public final class RowLayout {
  /** Builds rows; installed by {@link Row}, whose constructor is not public. */
  public interface Factory {
    /**
     * @param layout the layout
     * @param refs the object values by slot (null if there are none)
     * @param prims the primitive values by slot (null if there are none)
     * @return the row
     */
    Row create(RowLayout layout, Object[] refs, long[] prims);
  }

  private static volatile Factory factory;

  private final String[] names;
  private final byte[] kinds;
  private final int[] slots;

  /**
   * A layout keeping every value as an object, in column order.
   *
   * @param names the column names (not copied)
   */
  public RowLayout(String[] names) {
    this.names = Objects.requireNonNull(names, "names");
    this.kinds = null;
    this.slots = null;
  }

  /**
   * @param names the column names (not copied)
   * @param kinds per column {@link ColumnDecoder#REF} or a primitive kind (not copied)
   * @param slots per column its index in the reference or the primitive array (not copied)
   */
  public RowLayout(String[] names, byte[] kinds, int[] slots) {
    if (kinds.length != names.length || slots.length != names.length) {
      throw new IllegalArgumentException("layout arrays differ in length");
    }
    this.names = names;
    this.kinds = kinds;
    this.slots = slots;
  }

  /**
   * Called once by {@link Row}'s class initializer.
   *
   * @param f the row factory
   */
  public static void installFactory(Factory f) {
    factory = f;
  }

  /** @return the column names; shared, not to be modified */
  public String[] names() {
    return names;
  }

  /** @return the number of columns */
  public int size() {
    return names.length;
  }

  /**
   * @param column a column index
   * @return {@link ColumnDecoder#REF} or the primitive kind of that column
   */
  public byte kind(int column) {
    return kinds == null ? ColumnDecoder.REF : kinds[column];
  }

  /**
   * @param column a column index
   * @return its slot in the reference or the primitive array
   */
  public int slot(int column) {
    return slots == null ? column : slots[column];
  }

  /**
   * @param refs the object values by slot, or null
   * @param prims the primitive values by slot, or null
   * @return a row over them (the arrays are not copied)
   */
  public Row newRow(Object[] refs, long[] prims) {
    Factory f = factory;
    if (f == null) {
      initializeRow();
      f = factory;
    }
    return f.create(this, refs, prims);
  }

  private static void initializeRow() {
    try {
      Class.forName(Row.class.getName(), true, Row.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
