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
    return encode(params, registry, null);
  }

  /**
   * @param query the query
   * @param registry the codecs
   * @param descriptions known statements: a named statement's parameters are sent as the types
   *     the server fixed at prepare time
   * @return the encoded parameters
   * @throws EncodeFailure naming the parameter ($1-based) and why
   */
  static BoundParameters encode(org.pgsession.ExtendedQuery query, CodecRegistry registry,
      StatementDescriptions descriptions) throws EncodeFailure {
    int[] declared = query instanceof org.pgsession.NamedPreparedQuery nq ? descriptions.paramTypes(nq.name()) : null;
    return encode(query.params(), registry, declared);
  }

  /**
   * @param params the values
   * @param registry the codecs
   * @param declared parameter types fixed by the server (a named statement's), or null. A binary
   *     value of another type is converted to the declared one when the registry can encode it,
   *     since the server would read its bytes as the declared type.
   * @return the encoded parameters
   * @throws EncodeFailure naming the parameter ($1-based) and why
   */
  static BoundParameters encode(List<Object> params, CodecRegistry registry, int[] declared) throws EncodeFailure {
    int n = params.size();
    if (n > 65535) {
      throw new EncodeFailure("too many parameters: " + n + " (the protocol allows 65535)");
    }
    int[] oids = new int[n];
    short[] formats = new short[n];
    byte[][] values = new byte[n][];
    long total = 0;
    for (int i = 0; i < n; i++) {
      Object value = params.get(i);
      if (value == null) {
        continue; // OID 0, text, NULL: the server infers the type
      }
      EncodedValue encoded;
      try {
        encoded = registry.encode(value);
        int want = declared != null && i < declared.length ? declared[i] : 0;
        if (want != 0 && encoded.format() == org.pgsession.types.Format.BINARY && encoded.oid() != want) {
          EncodedValue converted;
          try {
            converted = registry.encodeAs(want, value);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the statement expects type OID " + want + ": " + e.getMessage(), e);
          }
          if (converted != null) {
            encoded = converted;
          }
        }
      } catch (RuntimeException e) {
        throw new EncodeFailure("cannot encode parameter $" + (i + 1) + " (" + value.getClass().getName() + "): "
            + e.getMessage());
      }
      oids[i] = encoded.oid();
      formats[i] = encoded.format().code();
      values[i] = encoded.bytes();
      total += 4L + values[i].length;
    }
    // Checked here, before anything is written: when the statement is described first, the
    // Bind is written only later, and an oversize one must never reach the wire (CVE-2024-27304).
    if (total + 6L * n > org.pgsession.internal.protocol.FrontendMessages.MAX_MESSAGE_LENGTH) {
      throw new EncodeFailure("parameters take " + total + " bytes, more than one protocol message carries ("
          + org.pgsession.internal.protocol.FrontendMessages.MAX_MESSAGE_LENGTH + ")");
    }
    return new BoundParameters(oids, formats, values);
  }

  /** @return a cache key part for the declared types */
  String typeKey() {
    return java.util.Arrays.toString(oids);
  }
}
