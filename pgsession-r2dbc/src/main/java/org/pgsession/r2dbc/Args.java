package org.pgsession.r2dbc;

/** R2DBC's argument checks: a null argument is an {@link IllegalArgumentException}. */
final class Args {
  private Args() {}

  static <T> T notNull(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }
}
