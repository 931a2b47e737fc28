package org.pgsession.internal.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.pgsession.internal.protocol.BackendMessage.FieldDescription;

/** W3-shaped rows in binary format (int4, int8, text, float8, timestamptz), as wire frames. */
final class W3Rows {
  private W3Rows() {}

  /** Rows per benchmark invocation. */
  static final int ROWS = 1000;

  /** The RowDescription of W3 with binary result formats. */
  static final List<FieldDescription> FIELDS = List.of(
      field("i", 23, 4), field("?column?", 20, 8), field("?column?", 25, -1),
      field("?column?", 701, 8), field("now", 1184, 8));

  private static FieldDescription field(String name, int oid, int size) {
    return new FieldDescription(name, 0, (short) 0, oid, (short) size, -1, (short) 1);
  }

  /** @return a direct buffer of {@link #ROWS} DataRow frames; the caller releases it */
  static ByteBuf frames() {
    ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer();
    long now = 817_000_000_000_000L; // a fixed timestamptz, as now() is within one query
    for (int i = 1; i <= ROWS; i++) {
      byte[] text = ("row-" + i).getBytes(StandardCharsets.UTF_8);
      int start = buf.writerIndex();
      buf.writeByte('D').writeInt(0).writeShort(5);
      buf.writeInt(4).writeInt(i);
      buf.writeInt(8).writeLong(i * 2L);
      buf.writeInt(text.length).writeBytes(text);
      buf.writeInt(8).writeDouble(i * 1.5);
      buf.writeInt(8).writeLong(now);
      buf.setInt(start + 1, buf.writerIndex() - start - 1);
    }
    return buf;
  }
}
