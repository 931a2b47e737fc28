package org.pgsession.r2dbc;

import io.r2dbc.spi.Blob;
import io.r2dbc.spi.Clob;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import org.pgsession.types.PgArray;
import org.pgsession.types.PgInterval;
import reactor.core.publisher.Mono;

/**
 * Turns the driver's decoded values into R2DBC's: {@code bytea} as {@link ByteBuffer} (or
 * {@code byte[]}, {@link Blob}), arrays as Java arrays, and the conversions {@code Row.get(i, type)}
 * allows without losing information (numbers between widths, text as {@link Clob}, timestamptz as
 * {@link Instant} or {@link ZonedDateTime}, an interval without months as {@link Duration}).
 */
final class Decoding {
  private Decoding() {}

  /** @return the value as R2DBC's default mapping of its column type */
  static Object standard(Object raw, int oid) {
    if (raw instanceof byte[] b) {
      return ByteBuffer.wrap(b.clone());
    }
    if (raw instanceof PgArray a) {
      PgsessionType type = PgsessionType.of(oid);
      Class<?> component = type.javaType().isArray() ? type.javaType().getComponentType() : Object.class;
      return toArray(a, component);
    }
    return raw;
  }

  /**
   * @return the value as {@code type}
   * @throws IllegalArgumentException when it cannot be converted without losing information
   */
  static <T> T as(Object raw, int oid, Class<T> type, String column) {
    if (type == null) {
      throw new IllegalArgumentException("type must not be null");
    }
    if (raw == null) {
      return null;
    }
    Object standard = standard(raw, oid);
    if (type == Object.class || type.isInstance(standard)) {
      return type.cast(standard);
    }
    if (type.isInstance(raw)) {
      return type.cast(raw instanceof byte[] b ? b.clone() : raw);
    }
    Object converted = convert(raw, type);
    if (converted == null) {
      throw new IllegalArgumentException("cannot read column '" + column + "' of type "
          + PgsessionType.of(oid).name() + " (" + raw.getClass().getSimpleName() + ") as " + type.getName());
    }
    return type.cast(converted);
  }

  private static Object convert(Object raw, Class<?> type) {
    if (type == Blob.class && raw instanceof byte[] b) {
      return Blob.from(Mono.just(ByteBuffer.wrap(b.clone())));
    }
    if (type == Clob.class && raw instanceof String s) {
      return Clob.from(Mono.just(s));
    }
    if (type == String.class && !(raw instanceof byte[]) && !(raw instanceof PgArray)) {
      return raw.toString();
    }
    if (raw instanceof Number n && Number.class.isAssignableFrom(type)) {
      return number(n, type);
    }
    if (raw instanceof OffsetDateTime t) {
      if (type == Instant.class) {
        return t.toInstant();
      }
      if (type == ZonedDateTime.class) {
        return t.toZonedDateTime();
      }
    }
    if (raw instanceof PgInterval i && type == Duration.class && i.months() == 0) {
      return Duration.ofDays(i.days()).plusNanos(i.microseconds() * 1000L);
    }
    if (raw instanceof PgArray a && type.isArray()) {
      return toArray(a, type.getComponentType());
    }
    return null;
  }

  /** Exact numeric conversion; null when the value does not fit or is not a finite number. */
  private static Object number(Number n, Class<?> type) {
    BigDecimal d;
    if (n instanceof BigDecimal b) {
      d = b;
    } else if (n instanceof Double || n instanceof Float) {
      double v = n.doubleValue();
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        return type == Double.class ? v : type == Float.class ? (float) v : null;
      }
      d = new BigDecimal(n.toString());
    } else {
      d = BigDecimal.valueOf(n.longValue());
    }
    try {
      if (type == Integer.class) {
        return d.intValueExact();
      }
      if (type == Long.class) {
        return d.longValueExact();
      }
      if (type == Short.class) {
        return d.shortValueExact();
      }
      if (type == Byte.class) {
        return d.byteValueExact();
      }
      if (type == BigInteger.class) {
        return d.toBigIntegerExact();
      }
    } catch (ArithmeticException notExact) {
      return null;
    }
    if (type == BigDecimal.class || type == Number.class) {
      return d;
    }
    if (type == Double.class) {
      return d.doubleValue();
    }
    if (type == Float.class) {
      return d.floatValue();
    }
    return null;
  }

  private static Object toArray(PgArray array, Class<?> component) {
    List<Object> elements = array.elements();
    Object out = Array.newInstance(component, elements.size());
    for (int i = 0; i < elements.size(); i++) {
      Object e = elements.get(i);
      Object value;
      if (e instanceof PgArray nested) {
        value = toArray(nested, component.isArray() ? component.getComponentType() : Object.class);
      } else if (e instanceof byte[] b) {
        value = ByteBuffer.wrap(b.clone());
      } else {
        value = e;
      }
      if (value != null && !component.isInstance(value)) {
        // e.g. a two-dimensional array read as a one-dimensional type: keep the values as they are
        return toArray(array, Object.class);
      }
      Array.set(out, i, value);
    }
    return out;
  }
}
