package org.pgsession.internal.codec;

import java.nio.ByteBuffer;

/**
 * One PostgreSQL type known to the driver: decodes text and binary format, encodes binary.
 * Implementations are stateless and thread-safe.
 */
public interface PgType {
  /** @return the type name, for messages */
  String name();

  /**
   * @param data big-endian buffer holding exactly the value, position 0 (may be consumed)
   * @return the value
   * @throws IllegalArgumentException if malformed
   */
  Object decodeBinary(ByteBuffer data);

  /**
   * @param text the value's text form
   * @return the value
   * @throws IllegalArgumentException if malformed
   */
  Object decodeText(String text);

  /**
   * @param value a non-null value of a Java type this type accepts
   * @return the binary wire bytes
   * @throws IllegalArgumentException if it cannot be encoded
   */
  byte[] encodeBinary(Object value);
}
