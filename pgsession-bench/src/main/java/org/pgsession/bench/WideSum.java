package org.pgsession.bench;

import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * Per-column sums of the W3 query: row count, sum of {@code i}, of {@code i*2}, of the text
 * lengths, of the doubles, and the number of non-null timestamps. Each client adds every decoded
 * value here, so no client can skip decoding a column.
 */
public final class WideSum {
  long rows;
  long ints;
  long longs;
  long textLength;
  double doubles;
  long timestamps;

  /**
   * Adds one decoded row.
   *
   * @param i column 1
   * @param l column 2
   * @param text column 3
   * @param d column 4
   * @param ts column 5
   */
  public void add(int i, long l, String text, double d, OffsetDateTime ts) {
    rows++;
    ints += i;
    longs += l;
    textLength += text.length();
    doubles += d;
    if (ts != null && ts.getYear() > 2000) {
      timestamps++;
    }
  }

  /**
   * Fails the run unless these sums equal the expected ones.
   *
   * @param expected from {@link Expected#wide(int)}
   */
  public void verify(WideSum expected) {
    Expected.check("W3 sums (rows, ints, longs, text length, doubles, timestamps)", expected.toString(),
        toString());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WideSum w && w.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return Objects.hash(rows, ints, longs, textLength, doubles, timestamps);
  }

  @Override
  public String toString() {
    return "[" + rows + ", " + ints + ", " + longs + ", " + textLength + ", " + doubles + ", " + timestamps + "]";
  }
}
