package org.pgsession;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import org.pgsession.internal.codec.ColumnDecoder;
import org.pgsession.internal.session.RowLayout;

/**
 * One row of decoded values. Typed getters convert where no information is lost
 * (an int2 read with {@link #getLong}, a float4 with {@link #getDouble}); anything else throws
 * {@link IllegalArgumentException} naming the column and both types. Equality by value.
 *
 * <p>Rows decoded by the driver keep numbers and booleans unboxed: {@link #intValue},
 * {@link #longValue}, {@link #doubleValue} and {@link #booleanValue} read them without
 * allocating, while {@link #get(int)} and the boxed getters box on each call.
 */
public final class Row {
  static {
    RowLayout.installFactory(Row::new);
  }

  private final RowLayout layout;
  private final Object[] refs;
  private final long[] prims;

  /**
   * @param names column names (shared by all rows of a result; not copied)
   * @param values decoded values, null for SQL NULL (not copied)
   */
  public Row(String[] names, Object[] values) {
    if (names.length != values.length) {
      throw new IllegalArgumentException(names.length + " names for " + values.length + " values");
    }
    this.layout = new RowLayout(names);
    this.refs = values;
    this.prims = null;
  }

  private Row(RowLayout layout, Object[] refs, long[] prims) {
    this.layout = layout;
    this.refs = refs;
    this.prims = prims;
  }

  /**
   * @return number of values
   */
  public int size() {
    return layout.size();
  }

  /**
   * @return the values with their column names
   */
  public List<Field> fields() {
    String[] names = layout.names();
    return new AbstractList<>() {
      @Override
      public Field get(int i) {
        return new Field(names[i], Row.this.get(i));
      }

      @Override
      public int size() {
        return names.length;
      }
    };
  }

  /**
   * @param index 0-based column
   * @return the decoded value, or null
   */
  public Object get(int index) {
    byte kind = layout.kind(index);
    int slot = layout.slot(index);
    return kind == ColumnDecoder.REF ? refs[slot] : ColumnDecoder.box(kind, prims[slot]);
  }

  /**
   * @param name column name; the first column with that name
   * @return the decoded value, or null
   * @throws IllegalArgumentException if there is no such column
   */
  public Object get(String name) {
    return get(indexOf(name));
  }

  /**
   * @param index 0-based column
   * @param type wanted type
   * @param <T> wanted type
   * @return the value converted to {@code type}, or null
   * @throws IllegalArgumentException if the value cannot be represented as {@code type}
   */
  public <T> T get(int index, Class<T> type) {
    return convert(index, type);
  }

  /**
   * @param name column name
   * @param type wanted type
   * @param <T> wanted type
   * @return the value converted to {@code type}, or null
   * @throws IllegalArgumentException if no such column or the value does not fit
   */
  public <T> T get(String name, Class<T> type) {
    return convert(indexOf(name), type);
  }

  /**
   * Reads an integer without boxing (int2 and int4 directly; int8, oid and numeric when the
   * value fits, as {@link #getInteger}).
   *
   * @param index 0-based column
   * @return the value
   * @throws IllegalArgumentException if the value is SQL NULL or not an int
   */
  public int intValue(int index) {
    byte kind = layout.kind(index);
    if (kind == ColumnDecoder.INT4 || kind == ColumnDecoder.INT2) {
      return (int) prims[layout.slot(index)];
    }
    return notNull(index, convert(index, Integer.class));
  }

  /**
   * @param name column name
   * @return as {@link #intValue(int)}
   */
  public int intValue(String name) {
    return intValue(indexOf(name));
  }

  /**
   * Reads a long without boxing (int2, int4, int8 and oid directly; numeric when it fits).
   *
   * @param index 0-based column
   * @return the value
   * @throws IllegalArgumentException if the value is SQL NULL or not a long
   */
  public long longValue(int index) {
    byte kind = layout.kind(index);
    if (kind == ColumnDecoder.INT8 || kind == ColumnDecoder.INT4 || kind == ColumnDecoder.INT2) {
      return prims[layout.slot(index)];
    }
    return notNull(index, convert(index, Long.class));
  }

  /**
   * @param name column name
   * @return as {@link #longValue(int)}
   */
  public long longValue(String name) {
    return longValue(indexOf(name));
  }

  /**
   * Reads a double without boxing (float8 and float4 directly; integers and numeric when exact,
   * as {@link #getDouble}).
   *
   * @param index 0-based column
   * @return the value
   * @throws IllegalArgumentException if the value is SQL NULL or not exactly a double
   */
  public double doubleValue(int index) {
    byte kind = layout.kind(index);
    if (kind == ColumnDecoder.FLOAT8) {
      return Double.longBitsToDouble(prims[layout.slot(index)]);
    }
    if (kind == ColumnDecoder.FLOAT4) {
      return Float.intBitsToFloat((int) prims[layout.slot(index)]);
    }
    return notNull(index, convert(index, Double.class));
  }

  /**
   * @param name column name
   * @return as {@link #doubleValue(int)}
   */
  public double doubleValue(String name) {
    return doubleValue(indexOf(name));
  }

  /**
   * Reads a bool without boxing.
   *
   * @param index 0-based column
   * @return the value
   * @throws IllegalArgumentException if the value is SQL NULL or not a bool
   */
  public boolean booleanValue(int index) {
    if (layout.kind(index) == ColumnDecoder.BOOL) {
      return prims[layout.slot(index)] != 0;
    }
    return notNull(index, convert(index, Boolean.class));
  }

  /**
   * @param name column name
   * @return as {@link #booleanValue(int)}
   */
  public boolean booleanValue(String name) {
    return booleanValue(indexOf(name));
  }

  private <T> T notNull(int index, T v) {
    if (v == null) {
      throw new IllegalArgumentException("column " + index + " ('" + layout.names()[index]
          + "') is NULL; use isNull or the boxed getter");
    }
    return v;
  }

  /**
   * @param index column
   * @return the value as text (any type, via toString), or null
   */
  public String getString(int index) {
    Object v = get(index);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    return v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : v.toString();
  }

  /**
   * @param name column
   * @return the value as text, or null
   */
  public String getString(String name) {
    return getString(indexOf(name));
  }

  /**
   * @param index column
   * @return the value as Integer, or null
   */
  public Integer getInteger(int index) {
    return convert(index, Integer.class);
  }

  /**
   * @param name column
   * @return the value as Integer, or null
   */
  public Integer getInteger(String name) {
    return getInteger(indexOf(name));
  }

  /**
   * @param index column
   * @return the value as Long, or null
   */
  public Long getLong(int index) {
    return convert(index, Long.class);
  }

  /**
   * @param name column
   * @return the value as Long, or null
   */
  public Long getLong(String name) {
    return getLong(indexOf(name));
  }

  /**
   * @param index column
   * @return the value as Double, or null
   */
  public Double getDouble(int index) {
    return convert(index, Double.class);
  }

  /**
   * @param name column
   * @return the value as Double, or null
   */
  public Double getDouble(String name) {
    return getDouble(indexOf(name));
  }

  /**
   * @param index column
   * @return the value as Boolean, or null
   */
  public Boolean getBoolean(int index) {
    return convert(index, Boolean.class);
  }

  /**
   * @param name column
   * @return the value as Boolean, or null
   */
  public Boolean getBoolean(String name) {
    return getBoolean(indexOf(name));
  }

  /**
   * @param index column
   * @return the value as bytes, or null
   */
  public byte[] getBytes(int index) {
    return convert(index, byte[].class);
  }

  /**
   * @param name column
   * @return the value as bytes, or null
   */
  public byte[] getBytes(String name) {
    return getBytes(indexOf(name));
  }

  /**
   * @param index column
   * @return whether the value is SQL NULL
   */
  public boolean isNull(int index) {
    // Primitive slots are never NULL: a row with a NULL number is kept all-objects.
    return layout.kind(index) == ColumnDecoder.REF && refs[layout.slot(index)] == null;
  }

  private int indexOf(String name) {
    String[] names = layout.names();
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no column named '" + name + "'; columns are " + Arrays.toString(names));
  }

  private <T> T convert(int index, Class<T> type) {
    Object v = get(index);
    if (v == null || type.isInstance(v)) {
      return type.cast(v);
    }
    Object converted = Widening.convert(v, type);
    if (converted == null) {
      throw new IllegalArgumentException("column " + index + " ('" + layout.names()[index] + "') holds a "
          + v.getClass().getName() + " that cannot be read as " + type.getName());
    }
    return type.cast(converted);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Row r) || !Arrays.equals(layout.names(), r.layout.names())) {
      return false;
    }
    for (int i = 0; i < size(); i++) {
      if (!Values.equal(get(i), r.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = Arrays.hashCode(layout.names());
    for (int i = 0; i < size(); i++) {
      h = 31 * h + Values.hash(get(i));
    }
    return h;
  }

  @Override
  public String toString() {
    return "Row" + fields();
  }

  /** Lossless conversions between value types; null when there is none. */
  static final class Widening {
    private Widening() {}

    static Object convert(Object v, Class<?> type) {
      if (v instanceof Number n && isIntegral(n)) {
        long l = n.longValue();
        if (type == Long.class) {
          return l;
        }
        if (type == Integer.class && l == (int) l) {
          return (int) l;
        }
        if (type == Short.class && l == (short) l) {
          return (short) l;
        }
        if (type == Double.class && Math.abs(l) <= (1L << 53)) {
          return (double) l;
        }
        if (type == BigDecimal.class) {
          return BigDecimal.valueOf(l);
        }
        if (type == BigInteger.class) {
          return BigInteger.valueOf(l);
        }
      }
      if (v instanceof Float f && type == Double.class) {
        return f.doubleValue();
      }
      if (v instanceof BigDecimal bd) {
        return fromBigDecimal(bd, type);
      }
      return null;
    }

    private static boolean isIntegral(Number n) {
      return n instanceof Short || n instanceof Integer || n instanceof Long || n instanceof Byte;
    }

    private static Object fromBigDecimal(BigDecimal bd, Class<?> type) {
      try {
        if (type == Long.class) {
          return bd.longValueExact();
        }
        if (type == Integer.class) {
          return bd.intValueExact();
        }
        if (type == Short.class) {
          return bd.shortValueExact();
        }
        if (type == BigInteger.class) {
          return bd.toBigIntegerExact();
        }
      } catch (ArithmeticException notExact) {
        return null;
      }
      if (type == Double.class) {
        double d = bd.doubleValue();
        return Double.isInfinite(d) || new BigDecimal(d).compareTo(bd) != 0 ? null : d;
      }
      return null;
    }
  }
}
