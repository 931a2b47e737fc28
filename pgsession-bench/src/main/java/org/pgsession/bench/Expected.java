package org.pgsession.bench;

/**
 * The checksums every trial must reproduce, computed from the workload definitions alone (never
 * from what a client returned), so a client that skips decoding or loses a row fails the run.
 */
public final class Expected {
  private Expected() {
  }

  /**
   * The W1 checksum of one key: {@code id + length(name)} of the row {@code (k, 'name-' || k)}.
   *
   * @param key the key, 1..10000
   * @return its contribution
   */
  public static long point(int key) {
    return key + 5 + digits(key);
  }

  /**
   * The key after {@code key} in the 1..10000 cycle.
   *
   * @param key the current key
   * @return the next key
   */
  public static int nextKey(int key) {
    return key >= Conf.POINT_KEYS ? 1 : key + 1;
  }

  /**
   * The expected per-column sums of the W3 query over {@code rows} rows.
   *
   * @param rows number of rows
   * @return the sums
   */
  public static WideSum wide(int rows) {
    WideSum s = new WideSum();
    long n = rows;
    s.rows = n;
    s.ints = n * (n + 1) / 2;
    s.longs = n * (n + 1);
    long len = 0;
    for (int i = 1; i <= rows; i++) {
      len += 4 + digits(i);
    }
    s.textLength = len;
    s.doubles = 1.5 * (n * (n + 1) / 2); // exact: every partial sum is a multiple of 0.5 below 2^53
    s.timestamps = n;
    return s;
  }

  /**
   * Fails the run when a trial's checksum differs.
   *
   * @param what what was checked
   * @param expected the expected value
   * @param actual what the client produced
   * @throws ChecksumMismatch if they differ
   */
  public static void check(String what, Object expected, Object actual) {
    if (!expected.equals(actual)) {
      throw new ChecksumMismatch(what + ": expected " + expected + " but the client produced " + actual);
    }
  }

  static int digits(int v) {
    int d = 1;
    while (v >= 10) {
      v /= 10;
      d++;
    }
    return d;
  }

  /** A checksum differed: the run is invalid. */
  public static final class ChecksumMismatch extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ChecksumMismatch(String message) {
      super("CHECKSUM MISMATCH " + message);
    }
  }
}
