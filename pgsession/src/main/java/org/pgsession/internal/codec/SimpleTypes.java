package org.pgsession.internal.codec;

import java.nio.ByteBuffer;
import java.util.UUID;

/** bool, integers, floats, oid, uuid, and the string-like types. */
public final class SimpleTypes {
  private SimpleTypes() {}

  /** bool (16). */
  public static final PgType BOOL = new PgType() {
    @Override public String name() {
      return "bool";
    }

    @Override public Object decodeBinary(ByteBuffer b) {
      Bufs.exactly(b, 1, "bool");
      byte v = b.get(0);
      if (v == 0) {
        return Boolean.FALSE;
      }
      if (v == 1) {
        return Boolean.TRUE;
      }
      throw Bufs.malformed("bool", "byte " + v);
    }

    @Override public Object decodeText(String s) {
      switch (s) {
        case "t": case "true": case "TRUE": case "on": case "yes": case "1": return Boolean.TRUE;
        case "f": case "false": case "FALSE": case "off": case "no": case "0": return Boolean.FALSE;
        default: throw Bufs.malformed("bool", Bufs.abbreviate(s));
      }
    }

    @Override public byte[] encodeBinary(Object v) {
      if (v instanceof Boolean bo) {
        return new byte[] {(byte) (bo ? 1 : 0)};
      }
      throw Bufs.wrongType("bool", v);
    }
  };

  /** int2 (21). */
  public static final PgType INT2 = new IntType("int2", 2, Short.MIN_VALUE, Short.MAX_VALUE);
  /** int4 (23). */
  public static final PgType INT4 = new IntType("int4", 4, Integer.MIN_VALUE, Integer.MAX_VALUE);
  /** int8 (20). */
  public static final PgType INT8 = new IntType("int8", 8, Long.MIN_VALUE, Long.MAX_VALUE);
  /** oid (26): unsigned 32-bit, decoded as Long. */
  public static final PgType OID = new IntType("oid", -4, 0, 0xFFFFFFFFL);

  /** Fixed-width integers; width -4 is the unsigned oid. */
  private static final class IntType implements PgType {
    private final String name;
    private final int width;
    private final long min;
    private final long max;

    IntType(String name, int width, long min, long max) {
      this.name = name;
      this.width = width;
      this.min = min;
      this.max = max;
    }

    @Override public String name() {
      return name;
    }

    @Override public Object decodeBinary(ByteBuffer b) {
      Bufs.exactly(b, Math.abs(width), name);
      switch (width) {
        case 2: return b.getShort(0);
        case 4: return b.getInt(0);
        case 8: return b.getLong(0);
        default: return b.getInt(0) & 0xFFFFFFFFL;
      }
    }

    @Override public Object decodeText(String s) {
      long v;
      try {
        v = Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw Bufs.malformed(name, Bufs.abbreviate(s));
      }
      return box(v, s);
    }

    private Object box(long v, Object orig) {
      if (v < min || v > max) {
        throw new IllegalArgumentException(name + " value out of range: " + Bufs.abbreviate(orig));
      }
      switch (width) {
        case 2: return (short) v;
        case 4: return (int) v;
        default: return v;
      }
    }

    @Override public byte[] encodeBinary(Object v) {
      long x;
      if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
        x = ((Number) v).longValue();
      } else if (v instanceof java.math.BigInteger bi && bi.bitLength() < 64) {
        x = bi.longValue();
      } else {
        throw Bufs.wrongType(name, v);
      }
      box(x, v);
      ByteBuffer out = ByteBuffer.allocate(Math.abs(width));
      switch (width) {
        case 2: out.putShort((short) x); break;
        case 8: out.putLong(x); break;
        default: out.putInt((int) x); break;
      }
      return out.array();
    }
  }

  /** float4 (700). */
  public static final PgType FLOAT4 = new FloatType(true);
  /** float8 (701). */
  public static final PgType FLOAT8 = new FloatType(false);

  private static final class FloatType implements PgType {
    private final boolean single;

    FloatType(boolean single) {
      this.single = single;
    }

    @Override public String name() {
      return single ? "float4" : "float8";
    }

    @Override public Object decodeBinary(ByteBuffer b) {
      Bufs.exactly(b, single ? 4 : 8, name());
      return single ? (Object) b.getFloat(0) : (Object) b.getDouble(0);
    }

    @Override public Object decodeText(String s) {
      double d;
      switch (s) {
        case "NaN": d = Double.NaN; break;
        case "Infinity": d = Double.POSITIVE_INFINITY; break;
        case "-Infinity": d = Double.NEGATIVE_INFINITY; break;
        default:
          if (!plainNumber(s)) {
            throw Bufs.malformed(name(), Bufs.abbreviate(s));
          }
          if (single) {
            return Float.parseFloat(s);
          }
          return Double.parseDouble(s);
      }
      return single ? (Object) (float) d : (Object) d;
    }

    @Override public byte[] encodeBinary(Object v) {
      if (!(v instanceof Number n) || v instanceof java.math.BigDecimal
          || v instanceof java.math.BigInteger) {
        throw Bufs.wrongType(name(), v);
      }
      if (single) {
        return ByteBuffer.allocate(4).putFloat(n.floatValue()).array();
      }
      return ByteBuffer.allocate(8).putDouble(n.doubleValue()).array();
    }
  }

  /**
   * @param s candidate
   * @return whether s looks like [-+]digits[.digits][e[-+]digits] (so Java's lenient parser is
   *     not fed hex floats or type suffixes)
   */
  static boolean plainNumber(String s) {
    int n = s.length();
    if (n == 0 || n > 400) {
      return false;
    }
    boolean digit = false;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
        return false;
      }
    }
    return digit;
  }

  /** uuid (2950). */
  public static final PgType UUID_TYPE = new PgType() {
    @Override public String name() {
      return "uuid";
    }

    @Override public Object decodeBinary(ByteBuffer b) {
      Bufs.exactly(b, 16, "uuid");
      return new UUID(b.getLong(0), b.getLong(8));
    }

    @Override public Object decodeText(String s) {
      String hex = s.length() == 36 && s.charAt(8) == '-' && s.charAt(13) == '-'
          && s.charAt(18) == '-' && s.charAt(23) == '-'
          ? s.substring(0, 8) + s.substring(9, 13) + s.substring(14, 18) + s.substring(19, 23)
              + s.substring(24)
          : s;
      if (hex.length() != 32) {
        throw Bufs.malformed("uuid", Bufs.abbreviate(s));
      }
      return new UUID(hexLong(hex, 0, s), hexLong(hex, 16, s));
    }

    private long hexLong(String hex, int from, String orig) {
      long v = 0;
      for (int i = from; i < from + 16; i++) {
        int d = Character.digit(hex.charAt(i), 16);
        if (d < 0) {
          throw Bufs.malformed("uuid", Bufs.abbreviate(orig));
        }
        v = (v << 4) | d;
      }
      return v;
    }

    @Override public byte[] encodeBinary(Object v) {
      if (v instanceof UUID u) {
        return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
            .putLong(u.getLeastSignificantBits()).array();
      }
      throw Bufs.wrongType("uuid", v);
    }
  };

  /**
   * String-like types whose binary form is the UTF-8 text: text, varchar, bpchar, name, xml,
   * json, enums.
   *
   * @param name type name
   * @return the type
   */
  public static PgType string(String name) {
    return new PgType() {
      @Override public String name() {
        return name;
      }

      @Override public Object decodeBinary(ByteBuffer b) {
        return Bufs.utf8(b);
      }

      @Override public Object decodeText(String s) {
        return s;
      }

      @Override public byte[] encodeBinary(Object v) {
        if (v instanceof CharSequence || v instanceof Character) {
          return Bufs.utf8(v.toString());
        }
        throw Bufs.wrongType(name, v);
      }
    };
  }

  /** jsonb (3802): binary is a version byte (1) and the text. */
  public static final PgType JSONB = new PgType() {
    @Override public String name() {
      return "jsonb";
    }

    @Override public Object decodeBinary(ByteBuffer b) {
      Bufs.need(b, 1, "jsonb");
      if (b.get(0) != 1) {
        throw Bufs.malformed("jsonb", "unsupported version " + b.get(0));
      }
      b.position(1);
      return Bufs.utf8(b);
    }

    @Override public Object decodeText(String s) {
      return s;
    }

    @Override public byte[] encodeBinary(Object v) {
      if (!(v instanceof CharSequence)) {
        throw Bufs.wrongType("jsonb", v);
      }
      byte[] t = Bufs.utf8(v.toString());
      byte[] out = new byte[t.length + 1];
      out[0] = 1;
      System.arraycopy(t, 0, out, 1, t.length);
      return out;
    }
  };

  /**
   * "char" (18): one byte. Bytes with the high bit set are printed by the server as a
   * backslash and three octal digits; binary decoding produces the same string.
   */
  public static final PgType CHAR = new PgType() {
    @Override public String name() {
      return "char";
    }

    @Override public Object decodeBinary(ByteBuffer b) {
      if (b.remaining() == 0) {
        return "";
      }
      Bufs.exactly(b, 1, "char");
      int c = b.get(0) & 0xFF;
      if (c == 0) {
        return "";
      }
      if (c < 0x80) {
        return String.valueOf((char) c);
      }
      return "\\" + (char) ('0' + (c >> 6)) + (char) ('0' + ((c >> 3) & 7)) + (char) ('0' + (c & 7));
    }

    @Override public Object decodeText(String s) {
      return s;
    }

    @Override public byte[] encodeBinary(Object v) {
      String s = v instanceof Character ? v.toString() : v instanceof CharSequence ? v.toString()
          : null;
      if (s == null) {
        throw Bufs.wrongType("\"char\"", v);
      }
      if (s.isEmpty()) {
        return new byte[0];
      }
      if (s.length() == 1 && s.charAt(0) < 0x80) {
        return new byte[] {(byte) s.charAt(0)};
      }
      if (s.length() == 4 && s.charAt(0) == '\\') {
        int c = 0;
        for (int i = 1; i < 4; i++) {
          int d = s.charAt(i) - '0';
          if (d < 0 || d > 7) {
            throw Bufs.wrongType("\"char\"", v);
          }
          c = c * 8 + d;
        }
        if (c <= 0xFF) {
          return new byte[] {(byte) c};
        }
      }
      throw Bufs.wrongType("\"char\"", v);
    }
  };
}
