package org.pgsession.r2dbc;

import io.r2dbc.spi.Blob;
import io.r2dbc.spi.Clob;
import io.r2dbc.spi.Parameter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.pgsession.types.PgArray;
import org.pgsession.types.PgComposite;
import org.pgsession.types.PgInterval;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Bind values: which Java types a statement accepts (checked at {@code bind}, so a wrong type
 * fails there with {@link IllegalArgumentException}), and how R2DBC's types become the driver's
 * parameters ({@link ByteBuffer} and {@link Blob} as bytea, {@link Clob} as text, Java arrays as
 * PostgreSQL arrays, {@link Parameter} unwrapped).
 */
final class Binding {
  private Binding() {}

  private static final Set<Class<?>> DIRECT = Set.of(String.class, Boolean.class, Short.class, Integer.class,
      Long.class, Float.class, Double.class, BigDecimal.class, byte[].class, UUID.class, LocalDate.class,
      LocalTime.class, OffsetTime.class, LocalDateTime.class, OffsetDateTime.class, Instant.class,
      PgInterval.class, PgArray.class, PgComposite.class);

  /** A typed SQL NULL: the server infers the type from the statement. */
  static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "NULL";
    }
  };

  /**
   * @return the value to keep for a bind of {@code value}
   * @throws IllegalArgumentException for null or a type the driver cannot send
   */
  static Object accept(Object value) {
    if (value == null) {
      throw new IllegalArgumentException("value must not be null; use bindNull");
    }
    if (value instanceof Parameter p) {
      if (p.getValue() == null) {
        return NULL;
      }
      return accept(p.getValue());
    }
    if (supported(value.getClass())) {
      return value;
    }
    throw new IllegalArgumentException("cannot bind a value of type " + value.getClass().getName());
  }

  /**
   * @return the value to keep for {@code bindNull(.., type)}
   * @throws IllegalArgumentException for a null type
   */
  static Object acceptNull(Class<?> type) {
    Args.notNull(type, "type");
    return NULL;
  }

  private static boolean supported(Class<?> c) {
    if (DIRECT.contains(c) || ByteBuffer.class.isAssignableFrom(c) || Blob.class.isAssignableFrom(c)
        || Clob.class.isAssignableFrom(c) || c == BigInteger.class || c == ZonedDateTime.class
        || c == Character.class || c == Byte.class || c.isEnum()) {
      return true;
    }
    return c.isArray() && c != byte[].class && !c.getComponentType().isPrimitive()
        && PgsessionType.arrayOf(elementOid(c.getComponentType())) != 0;
  }

  /** @return the driver parameter for a kept value; Blob and Clob are read first */
  static Mono<Object> resolve(Object kept) {
    if (kept == NULL) {
      return Mono.just(NULL);
    }
    if (kept instanceof Blob b) {
      return Flux.from(b.stream()).collectList().map(Binding::concat)
          .flatMap(bytes -> Mono.from(b.discard()).thenReturn(bytes));
    }
    if (kept instanceof Clob c) {
      return Flux.from(c.stream()).collect(StringBuilder::new, StringBuilder::append)
          .flatMap(text -> Mono.from(c.discard()).thenReturn((Object) text.toString()));
    }
    return Mono.just(plain(kept));
  }

  /** @return whether {@link #resolve} must read something first */
  static boolean needsResolve(Object kept) {
    return kept instanceof Blob || kept instanceof Clob;
  }

  /** @return the driver parameter for a value that needs no reading */
  static Object plain(Object kept) {
    if (kept == NULL) {
      return null;
    }
    if (kept instanceof ByteBuffer buffer) {
      ByteBuffer copy = buffer.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return bytes;
    }
    if (kept instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (kept instanceof ZonedDateTime z) {
      return z.toOffsetDateTime();
    }
    if (kept instanceof Character || kept instanceof Enum<?>) {
      return kept instanceof Enum<?> e ? e.name() : kept.toString();
    }
    if (kept instanceof Byte b) {
      return b.shortValue();
    }
    if (kept instanceof Object[] array) {
      List<Object> elements = new ArrayList<>(array.length);
      for (Object e : array) {
        elements.add(e == null ? null : plain(e));
      }
      return new PgArray(elementOid(array.getClass().getComponentType()), elements);
    }
    return kept;
  }

  private static Object concat(List<ByteBuffer> parts) {
    int size = parts.stream().mapToInt(ByteBuffer::remaining).sum();
    byte[] bytes = new byte[size];
    int at = 0;
    for (ByteBuffer part : parts) {
      int n = part.remaining();
      part.duplicate().get(bytes, at, n);
      at += n;
    }
    return bytes;
  }

  private static int elementOid(Class<?> element) {
    for (int oid : new int[] {16, 17, 20, 21, 23, 25, 700, 701, 1082, 1083, 1114, 1184, 1266, 1700, 2950}) {
      if (PgsessionType.of(oid).javaType() == element) {
        return oid;
      }
    }
    if (element == byte[].class) {
      return 17;
    }
    return 0;
  }
}
