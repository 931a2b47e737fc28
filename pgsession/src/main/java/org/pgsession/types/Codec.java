package org.pgsession.types;

import java.nio.ByteBuffer;

/** Encodes and decodes one PostgreSQL type in one wire format. Implementations are stateless. */
public interface Codec {
  /** @return the wire format this codec reads and writes */
  Format format();

  /** @return the Java type it decodes to and encodes from */
  Class<?> javaType();

  /**
   * @param value a non-null value of {@link #javaType()}
   * @return its wire bytes
   * @throws IllegalArgumentException if it cannot be encoded
   */
  byte[] encode(Object value);

  /**
   * @param data the wire bytes, from position to limit
   * @return the decoded value
   * @throws IllegalArgumentException if the bytes are malformed
   */
  Object decode(ByteBuffer data);
}
