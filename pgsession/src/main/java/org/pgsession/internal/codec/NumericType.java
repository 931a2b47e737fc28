package org.pgsession.internal.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;

/**
 * numeric (1700) as BigDecimal. Binary: int16 ndigits, int16 weight, int16 sign, int16 dscale,
 * then ndigits base-10000 digits, the first with weight {@code weight}. NaN and the infinities
 * decode to the Double constants.
 *
 * <p>PostgreSQL's display scale is never negative, so a BigDecimal with a negative scale (e.g.
 * {@code 1E+5}) is sent as the same number with scale 0 and comes back as {@code 100000}:
 * equal by {@code compareTo}, not by {@code equals}.
 */
public final class NumericType implements PgType {
  /** The instance. */
  public static final NumericType INSTANCE = new NumericType();

  private static final int POS = 0x0000;
  private static final int NEG = 0x4000;
  private static final int NAN = 0xC000;
  private static final int PINF = 0xD000;
  private static final int NINF = 0xF000;
  private static final int MAX_DSCALE = 0x3FFF;
  private static final long[] POW10 = {1, 10, 100, 1000, 10000};

  private NumericType() {}

  @Override public String name() {
    return "numeric";
  }

  @Override public Object decodeBinary(ByteBuffer b) {
    Bufs.need(b, 8, "numeric");
    int ndigits = b.getShort(0);
    int weight = b.getShort(2);
    int sign = b.getShort(4) & 0xFFFF;
    int dscale = b.getShort(6) & 0xFFFF;
    if (ndigits < 0) {
      throw Bufs.malformed("numeric", "negative digit count " + ndigits);
    }
    Bufs.exactly(b, 8 + 2 * ndigits, "numeric");
    switch (sign) {
      case NAN: return Double.NaN;
      case PINF: return Double.POSITIVE_INFINITY;
      case NINF: return Double.NEGATIVE_INFINITY;
      case POS: case NEG: break;
      default: throw Bufs.malformed("numeric", "invalid sign 0x" + Integer.toHexString(sign));
    }
    if (dscale > MAX_DSCALE) {
      throw Bufs.malformed("numeric", "invalid dscale " + dscale);
    }
    BigDecimal v;
    if (ndigits == 0) {
      v = BigDecimal.valueOf(0, dscale);
    } else {
      // unscaled = digits as a base-10000 integer; scale = 4 * (ndigits - weight - 1)
      BigInteger unscaled;
      if (ndigits <= 4) {
        long u = 0;
        for (int i = 0; i < ndigits; i++) {
          u = u * 10000 + digit(b, i);
        }
        unscaled = BigInteger.valueOf(u);
      } else {
        char[] chars = new char[4 * ndigits];
        for (int i = 0; i < ndigits; i++) {
          int d = digit(b, i);
          for (int k = 3; k >= 0; k--) {
            chars[4 * i + k] = (char) ('0' + d % 10);
            d /= 10;
          }
        }
        unscaled = new BigInteger(new String(chars));
      }
      v = new BigDecimal(unscaled, 4 * (ndigits - weight - 1));
      if (v.scale() != dscale) {
        // digits past dscale are dropped, as the server's numeric_recv does
        v = v.setScale(dscale, RoundingMode.DOWN);
      }
    }
    return sign == NEG ? v.negate() : v;
  }

  private static int digit(ByteBuffer b, int i) {
    int d = b.getShort(8 + 2 * i);
    if (d < 0 || d > 9999) {
      throw Bufs.malformed("numeric", "digit " + d + " out of range");
    }
    return d;
  }

  @Override public Object decodeText(String s) {
    switch (s) {
      case "NaN": return Double.NaN;
      case "Infinity": return Double.POSITIVE_INFINITY;
      case "-Infinity": return Double.NEGATIVE_INFINITY;
      default:
        if (!SimpleTypes.plainNumber(s) && !(s.length() < 100_000 && s.chars().allMatch(
            c -> (c >= '0' && c <= '9') || c == '.' || c == '-'))) {
          throw Bufs.malformed("numeric", Bufs.abbreviate(s));
        }
        try {
          return new BigDecimal(s);
        } catch (NumberFormatException e) {
          throw Bufs.malformed("numeric", Bufs.abbreviate(s));
        }
    }
  }

  @Override public byte[] encodeBinary(Object v) {
    if (v instanceof BigDecimal bd) {
      return encode(bd);
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return encode(BigDecimal.valueOf(((Number) v).longValue()));
    }
    if (v instanceof BigInteger bi) {
      return encode(new BigDecimal(bi));
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d)) {
        return special(NAN);
      }
      if (Double.isInfinite(d)) {
        return special(d > 0 ? PINF : NINF);
      }
      return encode(new BigDecimal(v.toString()));
    }
    throw Bufs.wrongType("numeric", v);
  }

  private static byte[] special(int sign) {
    return ByteBuffer.allocate(8).putShort((short) 0).putShort((short) 0)
        .putShort((short) sign).putShort((short) 0).array();
  }

  /**
   * @param value any BigDecimal
   * @return its binary numeric form
   */
  public static byte[] encode(BigDecimal value) {
    BigDecimal v = value.scale() < 0 ? value.setScale(0) : value;
    int scale = v.scale();
    if (scale > MAX_DSCALE) {
      throw new IllegalArgumentException("numeric scale " + scale + " exceeds PostgreSQL's "
          + MAX_DSCALE + ": " + Bufs.abbreviate(value));
    }
    int sign = v.signum() < 0 ? NEG : POS;
    // make the scale a multiple of 4 so the digit groups line up on the decimal point
    int pad = (4 - scale % 4) % 4;
    BigInteger unscaled = v.unscaledValue().abs();
    String digits;
    if (unscaled.bitLength() < 52) {
      digits = Long.toString(unscaled.longValue() * POW10[pad]);
    } else {
      digits = unscaled.multiply(BigInteger.valueOf(POW10[pad])).toString();
    }
    int lowWeight = -(scale + pad) / 4;
    int lead = (4 - digits.length() % 4) % 4;
    int groups = (digits.length() + lead) / 4;
    short[] g = new short[groups];
    int pos = -lead;
    for (int i = 0; i < groups; i++) {
      int d = 0;
      for (int k = 0; k < 4; k++, pos++) {
        d = d * 10 + (pos < 0 ? 0 : digits.charAt(pos) - '0');
      }
      g[i] = (short) d;
    }
    int first = 0;
    while (first < groups && g[first] == 0) {
      first++;
    }
    int last = groups - 1;
    while (last >= first && g[last] == 0) {
      last--;
    }
    int n = last - first + 1;
    int weight = n == 0 ? 0 : lowWeight + (groups - 1 - first);
    if (weight > Short.MAX_VALUE || weight < Short.MIN_VALUE || n > Short.MAX_VALUE) {
      throw new IllegalArgumentException("numeric value out of PostgreSQL's range: "
          + Bufs.abbreviate(value));
    }
    ByteBuffer out = ByteBuffer.allocate(8 + 2 * n);
    out.putShort((short) n).putShort((short) weight).putShort((short) (n == 0 ? POS : sign))
        .putShort((short) scale);
    for (int i = first; i <= last; i++) {
      out.putShort(g[i]);
    }
    return out.array();
  }
}
