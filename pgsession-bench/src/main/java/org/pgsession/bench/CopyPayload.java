package org.pgsession.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The W4 COPY payload, built once per JVM before any trial: text rows cut into 64 KiB chunks. */
final class CopyPayload {
  private CopyPayload() {
  }

  /**
   * Builds {@code rows} rows {@code i \t item-i-lorem-ipsum \t i*0.25 \t 2000-01-01 + (i % 10000)}.
   *
   * @param rows the row count
   * @return the chunks, each {@value Conf#CHUNK} bytes except the last
   */
  static List<byte[]> chunks(int rows) {
    ByteArrayOutputStream all = new ByteArrayOutputStream(rows * 48);
    LocalDate base = LocalDate.of(2000, 1, 1);
    StringBuilder sb = new StringBuilder(64);
    for (int i = 1; i <= rows; i++) {
      sb.setLength(0);
      sb.append(i).append("\titem-").append(i).append("-lorem-ipsum\t").append(i * 0.25).append('\t')
          .append(base.plusDays(i % 10000)).append('\n');
      byte[] line = sb.toString().getBytes(StandardCharsets.US_ASCII);
      all.write(line, 0, line.length);
    }
    byte[] bytes = all.toByteArray();
    List<byte[]> chunks = new ArrayList<>(bytes.length / Conf.CHUNK + 1);
    for (int off = 0; off < bytes.length; off += Conf.CHUNK) {
      chunks.add(Arrays.copyOfRange(bytes, off, Math.min(bytes.length, off + Conf.CHUNK)));
    }
    return chunks;
  }
}
