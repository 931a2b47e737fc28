package org.pgsession.internal.codec;

import io.netty.buffer.ByteBuf;

/**
 * Decodes the values of one result column straight from the inbound buffer. Resolved once per
 * RowDescription (by type OID and format), so no lookup happens per value.
 *
 * <p>A decoder is either a reference decoder ({@link #kind()} {@link #REF}: {@link #decode}
 * returns the value object) or a primitive one (the other kinds: {@link #decodeBits} returns the
 * value packed in a long, which {@link #box} turns into the Java value), so rows can keep
 * numbers without boxing them. Both throw {@link IllegalArgumentException} for malformed bytes.
 * The bytes must not be retained: the buffer is reused after the row is dispatched.
 */
public abstract class ColumnDecoder {
  /** The value is an object, from {@link #decode}. */
  public static final byte REF = 0;
  /** boolean: bits 0 or 1. */
  public static final byte BOOL = 1;
  /** short: the value sign-extended. */
  public static final byte INT2 = 2;
  /** int: the value sign-extended. */
  public static final byte INT4 = 3;
  /** long (int8, and oid as an unsigned 32-bit Long). */
  public static final byte INT8 = 4;
  /** float: {@link Float#floatToRawIntBits}. */
  public static final byte FLOAT4 = 5;
  /** double: {@link Double#doubleToRawLongBits}. */
  public static final byte FLOAT8 = 6;

  private final byte kind;

  /** @param kind how values are kept: {@link #REF} or a primitive kind */
  protected ColumnDecoder(byte kind) {
    this.kind = kind;
  }

  /** @return {@link #REF} or the primitive kind of the values */
  public final byte kind() {
    return kind;
  }

  /**
   * @param buf the buffer holding the value
   * @param index index of its first byte
   * @param length its length, at least 0
   * @return the value (boxed for primitive decoders)
   */
  public Object decode(ByteBuf buf, int index, int length) {
    return box(kind, decodeBits(buf, index, length));
  }

  /**
   * @param buf the buffer holding the value
   * @param index index of its first byte
   * @param length its length, at least 0
   * @return the value packed as described by {@link #kind()}
   * @throws UnsupportedOperationException for reference decoders
   */
  public long decodeBits(ByteBuf buf, int index, int length) {
    throw new UnsupportedOperationException("not a primitive decoder");
  }

  /**
   * The decoder to use for one column of one RowDescription. Stateless decoders (most) return
   * themselves; others return a fresh instance that may remember the column's last value, to
   * hand out the same immutable object when consecutive rows repeat it.
   *
   * @return the decoder for one column
   */
  public ColumnDecoder forColumn() {
    return this;
  }

  /**
   * @param kind a primitive kind
   * @param bits a value packed as that kind
   * @return the boxed value
   */
  public static Object box(byte kind, long bits) {
    switch (kind) {
      case BOOL: return bits != 0;
      case INT2: return (short) bits;
      case INT4: return (int) bits;
      case INT8: return bits;
      case FLOAT4: return Float.intBitsToFloat((int) bits);
      case FLOAT8: return Double.longBitsToDouble(bits);
      default: throw new IllegalArgumentException("not a primitive kind: " + kind);
    }
  }
}
