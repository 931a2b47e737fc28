package org.pgsession.internal.codec;

import java.util.Arrays;

/** A growable big-endian byte sink for building binary arrays and records. */
final class Out {
  private byte[] buf;
  private int n;

  Out(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  private void ensure(int extra) {
    if (n + extra > buf.length) {
      long want = Math.max((long) buf.length * 2, (long) n + extra);
      if (want > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException("value too large to encode");
      }
      buf = Arrays.copyOf(buf, (int) want);
    }
  }

  Out putInt(int v) {
    ensure(4);
    buf[n] = (byte) (v >>> 24);
    buf[n + 1] = (byte) (v >>> 16);
    buf[n + 2] = (byte) (v >>> 8);
    buf[n + 3] = (byte) v;
    n += 4;
    return this;
  }

  Out put(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, n, b.length);
    n += b.length;
    return this;
  }

  byte[] toArray() {
    return Arrays.copyOf(buf, n);
  }
}
