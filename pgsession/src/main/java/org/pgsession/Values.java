package org.pgsession;

import java.util.Arrays;
import java.util.Objects;

/** Value equality that compares byte arrays by content. */
final class Values {
  private Values() {}

  static boolean equal(Object a, Object b) {
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.equals(x, y);
    }
    return Objects.equals(a, b);
  }

  static int hash(Object v) {
    return v instanceof byte[] b ? Arrays.hashCode(b) : Objects.hashCode(v);
  }

  static String show(Object v) {
    return v instanceof byte[] b ? Arrays.toString(b) : String.valueOf(v);
  }
}
