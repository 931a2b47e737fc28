package org.pgsession.internal.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Test helper: builds message bytes field by field, independently of the code under test. */
final class Wire {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static Wire body() {
    return new Wire();
  }

  /** Bytes from hex, ignoring spaces, e.g. {@code hex("53 00000004")}. */
  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  /** Hex of the ASCII/UTF-8 bytes of {@code s}, to splice into {@link #hex} strings. */
  static String a(String s) {
    return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
  }

  Wire i8(int v) {
    out.write(v);
    return this;
  }

  Wire i16(int v) {
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  Wire i32(int v) {
    i16(v >>> 16);
    return i16(v);
  }

  /** UTF-8 bytes and a NUL. */
  Wire cstr(String s) {
    raw(s.getBytes(StandardCharsets.UTF_8));
    return i8(0);
  }

  /** UTF-8 bytes, no NUL. */
  Wire str(String s) {
    return raw(s.getBytes(StandardCharsets.UTF_8));
  }

  Wire raw(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  /** A whole backend frame: type byte, length (body + 4), body. */
  byte[] frame(char type) {
    byte[] b = bytes();
    Wire f = new Wire().i8(type).i32(b.length + 4).raw(b);
    return f.bytes();
  }
}
