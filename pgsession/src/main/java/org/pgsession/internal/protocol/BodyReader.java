package org.pgsession.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked reader over the body of one backend message. Every read that would run past
 * the body throws {@link ProtocolViolationException} naming the message, so the parser never
 * leaks an {@code IndexOutOfBoundsException} or reads into the next frame.
 */
final class BodyReader {
  private final ByteBuf buf;
  private final String messageName;
  private final int start;
  private final int end;
  private int pos;

  /** Reads the readable bytes of {@code buf}; does not move its indexes until {@link #finish}. */
  BodyReader(ByteBuf buf, String messageName) {
    this.buf = buf;
    this.messageName = messageName;
    this.start = buf.readerIndex();
    this.end = buf.writerIndex();
    this.pos = start;
  }

  /** Name of the message being read, for error messages. */
  String messageName() {
    return messageName;
  }

  /** Bytes not read yet. */
  int remaining() {
    return end - pos;
  }

  /** Offset of the read position from the start of the body. */
  int position() {
    return pos - start;
  }

  /** A violation naming this message. */
  ProtocolViolationException violation(String what) {
    return new ProtocolViolationException(messageName + ": " + what);
  }

  private void need(int n, String field) {
    if (end - pos < n) {
      throw violation("body too short for " + field + " (need " + n + " bytes, "
          + (end - pos) + " left)");
    }
  }

  byte readByte(String field) {
    need(1, field);
    return buf.getByte(pos++);
  }

  short readShort(String field) {
    need(2, field);
    short v = buf.getShort(pos);
    pos += 2;
    return v;
  }

  int readInt(String field) {
    need(4, field);
    int v = buf.getInt(pos);
    pos += 4;
    return v;
  }

  /** A signed int16 count that must not be negative. */
  int readCount16(String field) {
    short n = readShort(field);
    if (n < 0) {
      throw violation("negative " + field + " " + n);
    }
    return n;
  }

  /** Copies {@code n} bytes out. */
  byte[] readBytes(int n, String field) {
    if (n < 0) {
      throw violation("negative length " + n + " for " + field);
    }
    need(n, field);
    byte[] out = ByteBufUtil.getBytes(buf, pos, n);
    pos += n;
    return out;
  }

  /** Copies everything left. */
  byte[] readRest() {
    return readBytes(remaining(), "data");
  }

  /** Moves past {@code n} bytes. */
  void skip(int n, String field) {
    need(n, field);
    pos += n;
  }

  /** A NUL-terminated string, decoded as UTF-8 (malformed sequences become U+FFFD). */
  String readCString(String field) {
    int nul = buf.indexOf(pos, end, (byte) 0);
    if (nul < 0) {
      throw violation("missing NUL terminator for " + field);
    }
    String s = buf.toString(pos, nul - pos, StandardCharsets.UTF_8);
    pos = nul + 1;
    return s;
  }

  /** Checks that every byte of the body was read, then consumes the body from the buffer. */
  void finish() {
    if (pos != end) {
      throw violation((end - pos) + " trailing bytes after the last field");
    }
    buf.readerIndex(end);
  }
}
