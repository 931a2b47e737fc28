package org.pgsession.internal.codec;

import java.nio.ByteBuffer;
import org.pgsession.types.PgInterval;

/**
 * interval (1186). Binary: int64 microseconds, int32 days, int32 months. Text: IntervalStyle
 * {@code postgres}, e.g. {@code 1 year 2 mons -3 days +04:05:06.789}, {@code -00:00:01},
 * {@code infinity} (PostgreSQL 17: all three parts at their maximum; -infinity at their minimum).
 */
public final class IntervalType implements PgType {
  /** The instance. */
  public static final IntervalType INSTANCE = new IntervalType();
  /** PostgreSQL 17's +infinity interval. */
  public static final PgInterval INFINITY =
      new PgInterval(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE);
  /** PostgreSQL 17's -infinity interval. */
  public static final PgInterval NEG_INFINITY =
      new PgInterval(Integer.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE);

  private IntervalType() {}

  @Override public String name() {
    return "interval";
  }

  @Override public Object decodeBinary(ByteBuffer b) {
    Bufs.exactly(b, 16, "interval");
    return new PgInterval(b.getInt(12), b.getInt(8), b.getLong(0));
  }

  @Override public Object decodeText(String s) {
    if (s.equals("infinity")) {
      return INFINITY;
    }
    if (s.equals("-infinity")) {
      return NEG_INFINITY;
    }
    long months = 0;
    long days = 0;
    long micros = 0;
    String[] tok = s.split(" ", -1);
    try {
      for (int i = 0; i < tok.length; i++) {
        String t = tok[i];
        if (t.indexOf(':') >= 0) {
          micros = Math.addExact(micros, time(t, s));
          continue;
        }
        if (i + 1 >= tok.length) {
          throw bad(s);
        }
        long n = parseLong(t, s);
        switch (tok[++i]) {
          case "year": case "years":
            months = Math.addExact(months, Math.multiplyExact(n, 12));
            break;
          case "mon": case "mons":
            months = Math.addExact(months, n);
            break;
          case "day": case "days":
            days = Math.addExact(days, n);
            break;
          default:
            throw bad(s);
        }
      }
      return new PgInterval(Math.toIntExact(months), Math.toIntExact(days), micros);
    } catch (ArithmeticException e) {
      throw Bufs.malformed("interval", "out of range: " + Bufs.abbreviate(s));
    }
  }

  private static long parseLong(String t, String s) {
    if (t.isEmpty() || t.length() > 20) {
      throw bad(s);
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if ((c < '0' || c > '9') && !(i == 0 && (c == '-' || c == '+') && t.length() > 1)) {
        throw bad(s);
      }
    }
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw bad(s);
    }
  }

  /** [+-]H+:MM:SS[.ffffff] to microseconds. */
  private static long time(String t, String s) {
    int p = 0;
    boolean neg = false;
    if (t.startsWith("-") || t.startsWith("+")) {
      neg = t.charAt(0) == '-';
      p = 1;
    }
    int c1 = t.indexOf(':', p);
    int c2 = t.indexOf(':', c1 + 1);
    if (c2 < 0 || c1 == p || c2 - c1 != 3) {
      throw bad(s);
    }
    long h = parseLong(t.substring(p, c1), s);
    long m = parseLong(t.substring(c1 + 1, c2), s);
    int dot = t.indexOf('.', c2);
    String secPart = dot < 0 ? t.substring(c2 + 1) : t.substring(c2 + 1, dot);
    if (secPart.length() != 2 || m > 59) {
      throw bad(s);
    }
    long sec = parseLong(secPart, s);
    long frac = 0;
    if (dot >= 0) {
      String f = t.substring(dot + 1);
      if (f.isEmpty() || f.length() > 6) {
        throw bad(s);
      }
      frac = parseLong(f, s);
      for (int i = f.length(); i < 6; i++) {
        frac *= 10;
      }
    }
    if (sec > 59 || h < 0 || m < 0 || sec < 0 || frac < 0) {
      throw bad(s);
    }
    long base = Math.multiplyExact(h, 3_600_000_000L);
    long rest = (m * 60 + sec) * 1_000_000L + frac;
    return neg ? Math.subtractExact(-base, rest) : Math.addExact(base, rest);
  }

  private static IllegalArgumentException bad(String s) {
    return Bufs.malformed("interval", Bufs.abbreviate(s));
  }

  @Override public byte[] encodeBinary(Object v) {
    if (!(v instanceof PgInterval i)) {
      throw Bufs.wrongType("interval", v);
    }
    return ByteBuffer.allocate(16).putLong(i.microseconds()).putInt(i.days()).putInt(i.months())
        .array();
  }
}
