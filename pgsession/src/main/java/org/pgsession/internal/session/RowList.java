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

  /** The first CHUNK rows; a small result never allocates more than this array. */
  private Row[] first;
  /** Rows from CHUNK on, CHUNK per array; null until the first CHUNK rows are full. */
  private Row[][] chunks;
  private int size;

  /** @param expected rows expected (e.g. the previous batch's count); a hint */
  RowList(int expected) {
    // A point query's one row fits in 2 slots; growth doubles up to a chunk.
    first = new Row[Math.max(2, Math.min(CHUNK, expected))];
  }

  @Override
  public boolean add(Row row) {
    int i = size;
    if (i < CHUNK) {
      if (i == first.length) {
        first = Arrays.copyOf(first, Math.min(CHUNK, first.length * 2));
      }
      first[i] = row;
    } else {
      int c = (i >>> SHIFT) - 1;
      if (chunks == null) {
        chunks = new Row[4][];
      } else if (c == chunks.length) {
        chunks = Arrays.copyOf(chunks, c * 2);
      }
      if (chunks[c] == null) {
        chunks[c] = new Row[CHUNK];
      }
      chunks[c][i & MASK] = row;
    }
    size = i + 1;
    return true;
  }

  @Override
  public Row get(int index) {
    Objects.checkIndex(index, size);
    return index < CHUNK ? first[index] : chunks[(index >>> SHIFT) - 1][index & MASK];
  }

  @Override
  public int size() {
    return size;
  }
}
