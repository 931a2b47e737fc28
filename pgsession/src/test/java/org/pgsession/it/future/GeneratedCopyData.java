package org.pgsession.it.future;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** COPY text data generated on the fly, and a sink that counts and checks what it is given. */
final class GeneratedCopyData {
  private GeneratedCopyData() {}

  /** Rows "n\tpadding\n" for n = 0, 1, ... until at least {@code bytes} bytes were produced. */
  static class Rows extends InputStream {
    private static final byte[] PAD = ("\t" + "x".repeat(90) + "\n").getBytes(StandardCharsets.US_ASCII);
    private final long bytes;
    private long produced;
    long rows;
    private byte[] current = new byte[0];
    private int pos;

    Rows(long bytes) {
      this.bytes = bytes;
    }

    private boolean refill() {
      if (produced >= bytes) {
        return false;
      }
      byte[] n = Long.toString(rows++).getBytes(StandardCharsets.US_ASCII);
      current = new byte[n.length + PAD.length];
      System.arraycopy(n, 0, current, 0, n.length);
      System.arraycopy(PAD, 0, current, n.length, PAD.length);
      pos = 0;
      produced += current.length;
      return true;
    }

    @Override
    public int read() {
      if (pos == current.length && !refill()) {
        return -1;
      }
      return current[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      int done = 0;
      while (done < len) {
        if (pos == current.length && !refill()) {
          break;
        }
        int n = Math.min(len - done, current.length - pos);
        System.arraycopy(current, pos, b, off + done, n);
        pos += n;
        done += n;
      }
      return done == 0 && len > 0 ? -1 : done;
    }
  }

  /** Counts bytes and lines; optionally slow (a pause every {@code pauseEvery} bytes). */
  static final class CountingSink extends OutputStream {
    private final long pauseEvery;
    volatile long bytes;
    volatile long lines;
    volatile String writerThread;
    private long sincePause;

    CountingSink(long pauseEvery) {
      this.pauseEvery = pauseEvery;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      writerThread = Thread.currentThread().getName();
      long l = lines;
      for (int i = off; i < off + len; i++) {
        if (b[i] == '\n') {
          l++;
        }
      }
      lines = l;
      bytes += len;
      sincePause += len;
      if (pauseEvery > 0 && sincePause >= pauseEvery) {
        sincePause = 0;
        try {
          Thread.sleep(10); // a slow disk (~100 MB/s): the driver must stop reading instead of buffering
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted");
        }
      }
    }
  }
}
