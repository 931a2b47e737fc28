package org.pgsession.internal.codec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** bytea (17): binary is the raw bytes; text is hex ({@code \x0a1b}) or the legacy escape form. */
public final class ByteaType implements PgType {
  /** The instance. */
  public static final ByteaType INSTANCE = new ByteaType();

  private ByteaType() {}

  @Override public String name() {
    return "bytea";
  }

  @Override public Object decodeBinary(ByteBuffer b) {
    return Bufs.bytes(b);
  }

  @Override public Object decodeText(String s) {
    if (s.startsWith("\\x")) {
      return hex(s);
    }
    return escape(s);
  }

  private static byte[] hex(String s) {
    int n = s.length();
    byte[] tmp = new byte[(n - 2) / 2];
    int o = 0;
    int i = 2;
    while (i < n) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
        i++;
        continue;
      }
      if (i + 1 >= n) {
        throw Bufs.malformed("bytea", "odd number of hex digits");
      }
      int hi = Character.digit(c, 16);
      int lo = Character.digit(s.charAt(i + 1), 16);
      if (hi < 0 || lo < 0 || c > 0x7f || s.charAt(i + 1) > 0x7f) {
        throw Bufs.malformed("bytea", "invalid hex digit at " + i);
      }
      tmp[o++] = (byte) (hi << 4 | lo);
      i += 2;
    }
    if (o == tmp.length) {
      return tmp;
    }
    byte[] out = new byte[o];
    System.arraycopy(tmp, 0, out, 0, o);
    return out;
  }

  private static byte[] escape(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        if (c < 0x80) {
          out.write(c);
        } else {
          int cp = s.codePointAt(i);
          byte[] u = Bufs.utf8(new String(Character.toChars(cp)));
          out.write(u, 0, u.length);
          i += Character.charCount(cp) - 1;
        }
        continue;
      }
      if (i + 1 < n && s.charAt(i + 1) == '\\') {
        out.write('\\');
        i++;
      } else if (i + 3 < n && isOct(s.charAt(i + 1), '3') && isOct(s.charAt(i + 2), '7')
          && isOct(s.charAt(i + 3), '7')) {
        out.write((s.charAt(i + 1) - '0') << 6 | (s.charAt(i + 2) - '0') << 3 | (s.charAt(i + 3) - '0'));
        i += 3;
      } else {
        throw Bufs.malformed("bytea", "invalid escape at " + i);
      }
    }
    return out.toByteArray();
  }

  private static boolean isOct(char c, char max) {
    return c >= '0' && c <= max;
  }

  @Override public byte[] encodeBinary(Object v) {
    if (v instanceof byte[] b) {
      return b.clone();
    }
    throw Bufs.wrongType("bytea", v);
  }
}
