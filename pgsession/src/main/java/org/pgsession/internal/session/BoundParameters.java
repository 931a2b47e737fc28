package org.pgsession.internal.session;

import java.util.List;
import org.pgsession.types.CodecRegistry;
import org.pgsession.types.EncodedValue;

/**
 * Parameter values encoded for Parse (type OIDs) and Bind (formats and bytes). Built before
 * anything is written, so a value that cannot be encoded fails the operation with nothing sent.
 *
 * @param oids the declared type OIDs (0: server infers)
 * @param formats per-parameter format codes
 * @param values wire bytes, null for SQL NULL
 */
record BoundParameters(int[] oids, short[] formats, byte[][] values) {

  /** A parameter that could not be encoded. */
  static final class EncodeFailure extends Exception {
    private static final long serialVersionUID = 1L;

    EncodeFailure(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * @param params the values
   * @param registry the codecs
   * @return the encoded parameters
   * @throws EncodeFailure naming the parameter ($1-based) and why
   */
  static BoundParameters encode(List<Object> params, CodecRegistry registry) throws EncodeFailure {
    int n = params.size();
    if (n > 65535) {
      throw new EncodeFailure("too many parameters: " + n + " (the protocol allows 65535)");
    }
    int[] oids = new int[n];
    short[] formats = new short[n];
    byte[][] values = new byte[n][];
    for (int i = 0; i < n; i++) {
      Object value = params.get(i);
      if (value == null) {
        continue; // OID 0, text, NULL: the server infers the type
      }
      EncodedValue encoded;
      try {
        encoded = registry.encode(value);
      } catch (RuntimeException e) {
        throw new EncodeFailure("cannot encode parameter $" + (i + 1) + " (" + value.getClass().getName() + "): "
            + e.getMessage());
      }
      oids[i] = encoded.oid();
      formats[i] = encoded.format().code();
      values[i] = encoded.bytes();
    }
    return new BoundParameters(oids, formats, values);
  }

  /** @return a cache key part for the declared types */
  String typeKey() {
    return java.util.Arrays.toString(oids);
  }
}
