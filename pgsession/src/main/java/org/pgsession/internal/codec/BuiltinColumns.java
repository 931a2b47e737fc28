package org.pgsession.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Column decoders of the built-in scalar types, reading straight from the inbound buffer:
 * fixed-width values with {@code getInt/getLong} at their offset, text with one UTF-8 decode.
 * Their results equal {@link PgType}'s for the same bytes (the property tests hold them to it);
 * the rarer types go through their {@link PgType} over a {@code nioBuffer} view.
 */
final class BuiltinColumns {
  private BuiltinColumns() {}

  /** Any string-like type in either format, and text of types whose text is their value. */
  static final ColumnDecoder STRING = new ColumnDecoder(ColumnDecoder.REF) {
    @Override public Object decode(ByteBuf buf, int index, int length) {
      return utf8(buf, index, length);
    }
  };

  /**
   * @param oid a type OID
   * @return the binary decoder of a built-in scalar type, or null
   */
  static ColumnDecoder binary(int oid) {
    switch (oid) {
      case 16: return BOOL_BINARY;
      case 17: return BYTEA_BINARY;
      case 20: return new IntBinary(ColumnDecoder.INT8, 8, "int8");
      case 21: return new IntBinary(ColumnDecoder.INT2, 2, "int2");
      case 23: return new IntBinary(ColumnDecoder.INT4, 4, "int4");
      case 26: return new IntBinary(ColumnDecoder.INT8, -4, "oid");
      case 700: return FLOAT4_BINARY;
      case 701: return FLOAT8_BINARY;
      case 19: case 25: case 114: case 142: case 1042: case 1043: return STRING;
      case 3802: return JSONB_BINARY;
      case 2950: return UUID_BINARY;
      case 1082: return new DateBinary();
      case 1114: return new TimestampBinary(false);
      case 1184: return new TimestampBinary(true);
      default:
        PgType t = Builtins.type(oid);
        return t == null ? null : new ViewBinary(oid, t);
    }
  }

  /**
   * @param oid a type OID
   * @return the text decoder of a built-in scalar type, or null
   */
  static ColumnDecoder text(int oid) {
    PgType t = Builtins.type(oid);
    if (t == null) {
      return null;
    }
    switch (oid) {
      case 18: case 19: case 25: case 114: case 142: case 1042: case 1043: case 3802:
        return STRING;
      case 20: case 26: return new IntText(ColumnDecoder.INT8, oid, t);
      case 21: return new IntText(ColumnDecoder.INT2, oid, t);
      case 23: return new IntText(ColumnDecoder.INT4, oid, t);
      case 16: case 700: case 701: return new PrimitiveText(oid, t);
      default: return new ViaText(oid, t);
    }
  }

  /**
   * One UTF-8 decode; malformed sequences become U+FFFD, as in {@link Bufs#utf8}. On an event
   * loop thread Netty copies the bytes into a thread-local array, and JDK 17's UTF-8 constructor
   * has its own ASCII fast path, so the String and its byte array are the only allocations.
   */
  static String utf8(ByteBuf buf, int index, int length) {
    return length == 0 ? "" : buf.toString(index, length, StandardCharsets.UTF_8);
  }

  static void width(int length, int expected, String what) {
    if (length != expected) {
      throw Bufs.malformed(what, "expected " + expected + " bytes, got " + length);
    }
  }

  /** Failures other than IllegalArgumentException, reported as TypeTable.decode does. */
  static IllegalArgumentException wrap(int oid, String format, RuntimeException e) {
    return new IllegalArgumentException("malformed value of type OID " + oid + " in " + format
        + " format: " + e, e);
  }

  private static final ColumnDecoder BOOL_BINARY = new ColumnDecoder(ColumnDecoder.BOOL) {
    @Override public long decodeBits(ByteBuf buf, int index, int length) {
      width(length, 1, "bool");
      byte v = buf.getByte(index);
      if (v != 0 && v != 1) {
        throw Bufs.malformed("bool", "byte " + v);
      }
      return v;
    }
  };

  private static final ColumnDecoder BYTEA_BINARY = new ColumnDecoder(ColumnDecoder.REF) {
    @Override public Object decode(ByteBuf buf, int index, int length) {
      return ByteBufUtil.getBytes(buf, index, length);
    }
  };

  private static final ColumnDecoder FLOAT4_BINARY = new ColumnDecoder(ColumnDecoder.FLOAT4) {
    @Override public long decodeBits(ByteBuf buf, int index, int length) {
      width(length, 4, "float4");
      return buf.getInt(index);
    }
  };

  private static final ColumnDecoder FLOAT8_BINARY = new ColumnDecoder(ColumnDecoder.FLOAT8) {
    @Override public long decodeBits(ByteBuf buf, int index, int length) {
      width(length, 8, "float8");
      return buf.getLong(index);
    }
  };

  private static final ColumnDecoder JSONB_BINARY = new ColumnDecoder(ColumnDecoder.REF) {
    @Override public Object decode(ByteBuf buf, int index, int length) {
      if (length < 1) {
        throw Bufs.malformed("jsonb", "needs 1 more bytes, only 0 left");
      }
      byte version = buf.getByte(index);
      if (version != 1) {
        throw Bufs.malformed("jsonb", "unsupported version " + version);
      }
      return utf8(buf, index + 1, length - 1);
    }
  };

  private static final ColumnDecoder UUID_BINARY = new ColumnDecoder(ColumnDecoder.REF) {
    @Override public Object decode(ByteBuf buf, int index, int length) {
      width(length, 16, "uuid");
      return new UUID(buf.getLong(index), buf.getLong(index + 8));
    }
  };

  /** int2, int4, int8; width -4 is the unsigned oid. */
  private static final class IntBinary extends ColumnDecoder {
    private final int width;
    private final String name;

    IntBinary(byte kind, int width, String name) {
      super(kind);
      this.width = width;
      this.name = name;
    }

    @Override public long decodeBits(ByteBuf buf, int index, int length) {
      width(length, Math.abs(width), name);
      switch (width) {
        case 2: return buf.getShort(index);
        case 4: return buf.getInt(index);
        case 8: return buf.getLong(index);
        default: return buf.getUnsignedInt(index);
      }
    }
  }

  /** date; remembers the column's last value (result sets often repeat dates). */
  private static final class DateBinary extends ColumnDecoder {
    private LocalDate last;

    DateBinary() {
      super(REF);
    }

    @Override public ColumnDecoder forColumn() {
      return new DateBinary();
    }

    @Override public Object decode(ByteBuf buf, int index, int length) {
      width(length, 4, "date");
      int d = buf.getInt(index);
      if (d == Integer.MAX_VALUE) {
        return LocalDate.MAX;
      }
      if (d == Integer.MIN_VALUE) {
        return LocalDate.MIN;
      }
      long epochDay = TemporalTypes.PG_EPOCH_DAY + d;
      LocalDate l = last;
      if (l != null && l.toEpochDay() == epochDay) {
        return l;
      }
      return last = LocalDate.ofEpochDay(epochDay);
    }
  }

  /**
   * timestamp and timestamptz (at UTC), from microseconds since 2000-01-01. Remembers the
   * column's last value: consecutive rows often carry the same timestamp (now(), a batch's
   * creation time), and the immutable value can then be shared instead of rebuilt (96 bytes).
   * The check recomputes the micros from the value, so a stale read is merely a miss.
   */
  private static final class TimestampBinary extends ColumnDecoder {
    private final boolean utc;
    private Object last;

    TimestampBinary(boolean utc) {
      super(REF);
      this.utc = utc;
    }

    @Override public ColumnDecoder forColumn() {
      return new TimestampBinary(utc);
    }

    @Override public Object decode(ByteBuf buf, int index, int length) {
      width(length, 8, utc ? "timestamptz" : "timestamp");
      long us = buf.getLong(index);
      if (us == Long.MAX_VALUE) {
        return utc ? OffsetDateTime.MAX : LocalDateTime.MAX;
      }
      if (us == Long.MIN_VALUE) {
        return utc ? OffsetDateTime.MIN : LocalDateTime.MIN;
      }
      Object l = last;
      if (l != null && microsOf(l) == us) {
        return l;
      }
      long day = Math.floorDiv(us, TemporalTypes.DAY_US);
      long rem = Math.floorMod(us, TemporalTypes.DAY_US);
      LocalDateTime t = LocalDateTime.of(LocalDate.ofEpochDay(TemporalTypes.PG_EPOCH_DAY + day),
          LocalTime.ofNanoOfDay(rem * 1000));
      return last = utc ? OffsetDateTime.of(t, ZoneOffset.UTC) : t;
    }

    private static long microsOf(Object v) {
      LocalDateTime t = v instanceof OffsetDateTime o ? o.toLocalDateTime() : (LocalDateTime) v;
      return (t.toLocalDate().toEpochDay() - TemporalTypes.PG_EPOCH_DAY) * TemporalTypes.DAY_US
          + t.toLocalTime().toNanoOfDay() / 1000;
    }
  }

  /** The other built-in types in binary: their PgType over a view of the bytes. */
  private static final class ViewBinary extends ColumnDecoder {
    private final int oid;
    private final PgType type;

    ViewBinary(int oid, PgType type) {
      super(REF);
      this.oid = oid;
      this.type = type;
    }

    @Override public Object decode(ByteBuf buf, int index, int length) {
      try {
        return type.decodeBinary(buf.nioBuffer(index, length).slice().order(ByteOrder.BIG_ENDIAN));
      } catch (IllegalArgumentException e) {
        throw e;
      } catch (RuntimeException e) {
        throw wrap(oid, "BINARY", e);
      }
    }
  }

  /** Built-in types in text: one UTF-8 decode, then the type's text parser. */
  private static class ViaText extends ColumnDecoder {
    final int oid;
    final PgType type;

    ViaText(byte kind, int oid, PgType type) {
      super(kind);
      this.oid = oid;
      this.type = type;
    }

    ViaText(int oid, PgType type) {
      this(REF, oid, type);
    }

    final Object parse(ByteBuf buf, int index, int length) {
      try {
        return type.decodeText(utf8(buf, index, length));
      } catch (IllegalArgumentException e) {
        throw e;
      } catch (RuntimeException e) {
        throw wrap(oid, "TEXT", e);
      }
    }

    @Override public Object decode(ByteBuf buf, int index, int length) {
      return parse(buf, index, length);
    }
  }

  /** bool, float4, float8 in text, kept unboxed in the row. */
  private static final class PrimitiveText extends ViaText {
    PrimitiveText(int oid, PgType type) {
      super(oid == 16 ? BOOL : oid == 700 ? FLOAT4 : FLOAT8, oid, type);
    }

    @Override public Object decode(ByteBuf buf, int index, int length) {
      return box(kind(), decodeBits(buf, index, length));
    }

    @Override public long decodeBits(ByteBuf buf, int index, int length) {
      if (kind() == BOOL && length == 1) {
        byte b = buf.getByte(index);
        if (b == 't') {
          return 1;
        }
        if (b == 'f') {
          return 0;
        }
      }
      Object v = parse(buf, index, length);
      if (v instanceof Boolean bo) {
        return bo ? 1 : 0;
      }
      if (v instanceof Float f) {
        return Float.floatToRawIntBits(f);
      }
      return Double.doubleToRawLongBits((Double) v);
    }
  }

  /** int2, int4, int8, oid in text: plain ASCII digits parsed in place, anything else by the type. */
  private static final class IntText extends ViaText {
    private final boolean unsigned32;

    IntText(byte kind, int oid, PgType type) {
      super(kind, oid, type);
      unsigned32 = oid == 26;
    }

    @Override public Object decode(ByteBuf buf, int index, int length) {
      return box(kind(), decodeBits(buf, index, length));
    }

    @Override public long decodeBits(ByteBuf buf, int index, int length) {
      // Up to 18 digits cannot overflow a long; longer or unusual input takes the exact path.
      if (length > 0 && length <= 18) {
        int i = index;
        int end = index + length;
        boolean negative = buf.getByte(i) == '-';
        if (negative && length > 1) {
          i++;
        }
        long v = 0;
        for (; i < end; i++) {
          int d = buf.getByte(i) - '0';
          if (d < 0 || d > 9) {
            break;
          }
          v = v * 10 + d;
        }
        if (i == end) {
          v = negative ? -v : v;
          if (inRange(v)) {
            return v;
          }
        }
      }
      return ((Number) parse(buf, index, length)).longValue();
    }

    private boolean inRange(long v) {
      switch (kind()) {
        case INT2: return v == (short) v;
        case INT4: return v == (int) v;
        default: return !unsigned32 || (v >= 0 && v <= 0xFFFFFFFFL);
      }
    }
  }
}
