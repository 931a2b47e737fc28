package org.pgsession.internal.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Small helpers to read wire bytes safely: every failure is an IllegalArgumentException. */
public final class Bufs {
  private Bufs() {}

  /**
   * @param what what was being decoded, for the message
   * @param detail what is wrong
   * @return an exception to throw
   */
  public static IllegalArgumentException malformed(String what, String detail) {
    return new IllegalArgumentException("malformed " + what + ": " + detail);
  }

  /**
   * Checks the buffer holds exactly {@code n} bytes.
   *
   * @param b the buffer
   * @param n expected remaining bytes
   * @param what type name for the message
   */
  public static void exactly(ByteBuffer b, int n, String what) {
    if (b.remaining() != n) {
      throw malformed(what, "expected " + n + " bytes, got " + b.remaining());
    }
  }

  /**
   * Checks at least {@code n} bytes remain.
   *
   * @param b the buffer
   * @param n needed bytes
   * @param what type name for the message
   */
  public static void need(ByteBuffer b, int n, String what) {
    if (n < 0 || b.remaining() < n) {
      throw malformed(what, "needs " + n + " more bytes, only " + b.remaining() + " left");
    }
  }

  /**
   * @param b the buffer; its bytes from position to limit are consumed
   * @return a copy of the remaining bytes
   */
  public static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  /**
   * Decodes the remaining bytes as UTF-8 without consuming them; malformed UTF-8 becomes
   * replacement characters (the server validated the encoding).
   *
   * @param b the buffer
   * @return the string
   */
  public static String utf8(ByteBuffer b) {
    if (b.hasArray()) {
      return new String(b.array(), b.arrayOffset() + b.position(), b.remaining(),
          StandardCharsets.UTF_8);
    }
    byte[] tmp = new byte[b.remaining()];
    b.duplicate().get(tmp);
    return new String(tmp, StandardCharsets.UTF_8);
  }

  /**
   * Strict UTF-8 decode, for callers that must reject invalid input.
   *
   * @param b the buffer (not consumed)
   * @param what type name for the message
   * @return the string
   */
  public static String utf8Strict(ByteBuffer b, String what) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(b.duplicate()).toString();
    } catch (CharacterCodingException e) {
      throw malformed(what, "invalid UTF-8");
    }
  }

  /**
   * @param s a string
   * @return its UTF-8 bytes
   */
  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A view of the next {@code len} bytes, advancing {@code b} past them.
   *
   * @param b the buffer
   * @param len bytes to take
   * @param what type name for the message
   * @return a slice positioned at 0 with limit len
   */
  public static ByteBuffer take(ByteBuffer b, int len, String what) {
    need(b, len, what);
    ByteBuffer s = b.slice();
    s.limit(len);
    b.position(b.position() + len);
    return s;
  }

  /**
   * @param what value description for the message
   * @param v the value
   * @return a "value is not a X" exception
   */
  public static IllegalArgumentException wrongType(String what, Object v) {
    return new IllegalArgumentException("cannot encode " + v.getClass().getName() + " value "
        + abbreviate(v) + " as " + what);
  }

  /**
   * @param v any value
   * @return its string form, cut to 100 characters
   */
  public static String abbreviate(Object v) {
    String s = String.valueOf(v);
    return s.length() <= 100 ? "'" + s + "'" : "'" + s.substring(0, 100) + "...'";
  }
}
