package org.pgsession.internal.session;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;
import java.util.RandomAccess;
import org.pgsession.Row;

/**
 * The rows of one result as they arrive: chunks of 1024, so a million rows are never copied
 * to grow an array (an ArrayList copies each reference about twice), and a small first chunk,
 * so a one-row result stays small. Append-only, then read-only once handed to {@link
 * org.pgsession.Rows}.
 */
final class RowList extends AbstractList<Row> implements RandomAccess {
  private static final int SHIFT = 10;
  private static final int CHUNK = 1 << SHIFT;
  private static final int MASK = CHUNK - 1;

  private Row[][] chunks;
  private int size;

  /** @param expected rows expected (e.g. the previous batch's count); a hint */
  RowList(int expected) {
    chunks = new Row[4][];
    chunks[0] = new Row[Math.max(8, Math.min(CHUNK, expected))];
  }

  @Override
  public boolean add(Row row) {
    int c = size >>> SHIFT;
    int i = size & MASK;
    if (c == 0) {
      Row[] first = chunks[0];
      if (i == first.length) {
        chunks[0] = first = Arrays.copyOf(first, Math.min(CHUNK, first.length * 2));
      }
      first[i] = row;
    } else {
      if (c == chunks.length) {
        chunks = Arrays.copyOf(chunks, c * 2);
      }
      if (chunks[c] == null) {
        chunks[c] = new Row[CHUNK];
      }
      chunks[c][i] = row;
    }
    size++;
    return true;
  }

  @Override
  public Row get(int index) {
    Objects.checkIndex(index, size);
    return chunks[index >>> SHIFT][index & MASK];
  }

  @Override
  public int size() {
    return size;
  }
}
