package org.pgsession.types;

/** Wire format of a value: text (code 0) or binary (code 1). */
public enum Format {
  /** Text format, code 0. */
  TEXT,
  /** Binary format, code 1. */
  BINARY;

  /** @return the wire format code */
  public short code() {
    return (short) ordinal();
  }
}
