package org.pgsession;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;

/**
 * One row of decoded values. Typed getters convert where no information is lost
 * (an int2 read with {@link #getLong}, a float4 with {@link #getDouble}); anything else throws
 * {@link IllegalArgumentException} naming the column and both types. Equality by value.
 */
public final class Row {
  private final String[] names;
  private final Object[] values;

  /**
   * @param names column names (shared by all rows of a result; not copied)
   * @param values decoded values, null for SQL NULL (not copied)
   */
  public Row(String[] names, Object[] values) {
    if (names.length != values.length) {
      throw new IllegalArgumentException(names.length + " names for " + values.length + " values");
    }
    this.names = names;
    this.values = values;
  }

  /** @return number of values */
  public int size() {
    return values.length;
  }

  /** @return the values with their column names */
  public List<Field> fields() {
    return new AbstractList<>() {
      @Override
      public Field get(int i) {
        return new Field(names[i], values[i]);
      }

      @Override
      public int size() {
        return values.length;
      }
    };
  }

  /** @param index 0-based column @return the decoded value, or null */
  public Object get(int index) {
    return values[index];
  }

  /**
   * @param name column name; the first column with that name
   * @return the decoded value, or null
   * @throws IllegalArgumentException if there is no such column
   */
  public Object get(String name) {
    return values[indexOf(name)];
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

  /** @param index column @return the value as text (any type, via toString), or null */
  public String getString(int index) {
    Object v = values[index];
    if (v == null || v instanceof String) {
      return (String) v;
    }
    return v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : v.toString();
  }

  /** @param name column @return the value as text, or null */
  public String getString(String name) {
    return getString(indexOf(name));
  }

  /** @param index column @return the value as Integer, or null */
  public Integer getInteger(int index) {
    return convert(index, Integer.class);
  }

  /** @param name column @return the value as Integer, or null */
  public Integer getInteger(String name) {
    return getInteger(indexOf(name));
  }

  /** @param index column @return the value as Long, or null */
  public Long getLong(int index) {
    return convert(index, Long.class);
  }

  /** @param name column @return the value as Long, or null */
  public Long getLong(String name) {
    return getLong(indexOf(name));
  }

  /** @param index column @return the value as Double, or null */
  public Double getDouble(int index) {
    return convert(index, Double.class);
  }

  /** @param name column @return the value as Double, or null */
  public Double getDouble(String name) {
    return getDouble(indexOf(name));
  }

  /** @param index column @return the value as Boolean, or null */
  public Boolean getBoolean(int index) {
    return convert(index, Boolean.class);
  }

  /** @param name column @return the value as Boolean, or null */
  public Boolean getBoolean(String name) {
    return getBoolean(indexOf(name));
  }

  /** @param index column @return the value as bytes, or null */
  public byte[] getBytes(int index) {
    return convert(index, byte[].class);
  }

  /** @param name column @return the value as bytes, or null */
  public byte[] getBytes(String name) {
    return getBytes(indexOf(name));
  }

  /** @param index column @return whether the value is SQL NULL */
  public boolean isNull(int index) {
    return values[index] == null;
  }

  private int indexOf(String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no column named '" + name + "'; columns are " + Arrays.toString(names));
  }

  private <T> T convert(int index, Class<T> type) {
    Object v = values[index];
    if (v == null || type.isInstance(v)) {
      return type.cast(v);
    }
    Object converted = Widening.convert(v, type);
    if (converted == null) {
      throw new IllegalArgumentException("column " + index + " ('" + names[index] + "') holds a "
          + v.getClass().getName() + " that cannot be read as " + type.getName());
    }
    return type.cast(converted);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Row r) || !Arrays.equals(names, r.names) || values.length != r.values.length) {
      return false;
    }
    for (int i = 0; i < values.length; i++) {
      if (!Values.equal(values[i], r.values[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = Arrays.hashCode(names);
    for (Object v : values) {
      h = 31 * h + Values.hash(v);
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
