package org.pgsession.internal.session;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.UUID;
import org.pgsession.internal.protocol.FrontendMessages;
import org.pgsession.types.CodecRegistry;
import org.pgsession.types.EncodedValue;

/**
 * Parameter values encoded for Parse (type OIDs) and Bind (formats and bytes). Built before
 * anything is written, so a value that cannot be encoded fails the operation with nothing sent.
 *
 * <p>The common built-in values (int2/int4/int8, bool, float4/float8, uuid, text) are not
 * turned into arrays: their lengths are known here and {@link #write} puts them straight into
 * the outgoing Bind. Everything else (and every custom codec) is encoded to bytes here.
 */
final class BoundParameters implements FrontendMessages.BindValues {
  private static final short[] ALL_TEXT = new short[0];
  private static final short[] ALL_BINARY = {1};

  private final int[] oids;
  private final short[] formats;
  /** Per value: a boxed built-in written directly, a byte[] to copy, or null (SQL NULL). */
  private final Object[] values;
  private final int[] lengths;
  private final long dataLength;

  private BoundParameters(int[] oids, short[] formats, Object[] values, int[] lengths, long dataLength) {
    this.oids = oids;
    this.formats = formats;
    this.values = values;
    this.lengths = lengths;
    this.dataLength = dataLength;
  }

  /** A parameter that could not be encoded. */
  static final class EncodeFailure extends Exception {
    private static final long serialVersionUID = 1L;

    EncodeFailure(String message) {
      super(message, null, false, false);
    }
  }

  /** @return the declared type OIDs for Parse (0: the server infers) */
  int[] oids() {
    return oids;
  }

  /** @return format codes for Bind: none (all text), one (all binary) or one per parameter */
  short[] formats() {
    return formats;
  }

  /** @return the total bytes of the non-null values (sizing the outgoing buffer) */
  long dataLength() {
    return dataLength;
  }

  @Override
  public int count() {
    return values.length;
  }

  @Override
  public int length(int i) {
    return lengths[i];
  }

  @Override
  public void write(ByteBuf out, int i) {
    Object v = values[i];
    if (v instanceof byte[] b) {
      out.writeBytes(b);
    } else if (v instanceof Integer x) {
      out.writeInt(x);
    } else if (v instanceof Long x) {
      out.writeLong(x);
    } else if (v instanceof String s) {
      out.writeCharSequence(s, java.nio.charset.StandardCharsets.UTF_8); // surrogate-free: see utf8Length
    } else if (v instanceof Short x) {
      out.writeShort(x);
    } else if (v instanceof Boolean x) {
      out.writeByte(x ? 1 : 0);
    } else if (v instanceof Double x) {
      out.writeLong(Double.doubleToRawLongBits(x));
    } else if (v instanceof Float x) {
      out.writeInt(Float.floatToRawIntBits(x));
    } else if (v instanceof UUID u) {
      out.writeLong(u.getMostSignificantBits());
      out.writeLong(u.getLeastSignificantBits());
    } else {
      throw new IllegalStateException("no direct writer for " + v.getClass().getName());
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
    Object[] values = new Object[n];
    int[] lengths = new int[n];
    long total = 0;
    for (int i = 0; i < n; i++) {
      Object value = params.get(i);
      if (value == null) {
        lengths[i] = -1; // OID 0, text, NULL: the server infers the type
        continue;
      }
      int want = declared != null && i < declared.length ? declared[i] : 0;
      int length = directLength(value); // -1: not one of the directly written types
      int direct = length < 0 ? 0 : directOid(value);
      if (length >= 0 && (want == 0 || want == direct || direct == TEXT_UNKNOWN)) {
        oids[i] = direct == TEXT_UNKNOWN ? 0 : direct;
        formats[i] = (short) (direct == TEXT_UNKNOWN ? 0 : 1);
        values[i] = value;
      } else {
        EncodedValue encoded = encodeSlow(i, value, want, registry);
        oids[i] = encoded.oid();
        formats[i] = encoded.format().code();
        byte[] bytes = encoded.bytes();
        values[i] = bytes;
        length = bytes.length;
      }
      lengths[i] = length;
      total += length;
    }
    // Checked here, before anything is written: when the statement is described first, the
    // Bind is written only later, and an oversize one must never reach the wire (CVE-2024-27304).
    if (total + 10L * n > org.pgsession.internal.protocol.FrontendMessages.MAX_MESSAGE_LENGTH) {
      throw new EncodeFailure("parameters take " + total + " bytes, more than one protocol message carries ("
          + org.pgsession.internal.protocol.FrontendMessages.MAX_MESSAGE_LENGTH + ")");
    }
    return new BoundParameters(oids, compact(formats, lengths), values, lengths, total);
  }

  /** Marks a String: sent as text with OID 0 (the server infers its type). */
  private static final int TEXT_UNKNOWN = -1;

  /** @return the OID a value is encoded with by default, TEXT_UNKNOWN for a String */
  private static int directOid(Object v) {
    return v instanceof String ? TEXT_UNKNOWN : org.pgsession.internal.codec.TypeTable.naturalOid(v);
  }

  /** @return the wire length of a direct value, or -1 to take the general path */
  private static int directLength(Object v) {
    if (v instanceof Integer || v instanceof Float) {
      return 4;
    } else if (v instanceof Long || v instanceof Double) {
      return 8;
    } else if (v instanceof String s) {
      return utf8Length(s);
    } else if (v instanceof Short) {
      return 2;
    } else if (v instanceof Boolean) {
      return 1;
    } else if (v instanceof UUID) {
      return 16;
    }
    return -1;
  }

  /**
   * UTF-8 length of a string without surrogates, or -1 when it has any: those take the general
   * path, whose encoder (the JDK's) handles unpaired surrogates the way it always did.
   */
  private static int utf8Length(String s) {
    int len = 0;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        len++;
      } else if (c < 0x800) {
        len += 2;
      } else if (Character.isSurrogate(c)) {
        return -1;
      } else {
        len += 3;
      }
    }
    return len;
  }

  private static EncodedValue encodeSlow(int i, Object value, int want, CodecRegistry registry) throws EncodeFailure {
    try {
      EncodedValue encoded = registry.encode(value);
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
      return encoded;
    } catch (RuntimeException e) {
      throw new EncodeFailure("cannot encode parameter $" + (i + 1) + " (" + value.getClass().getName() + "): "
          + e.getMessage());
    }
  }

  /**
   * Same-for-all format codes collapse to none (all text) or one (all binary): a shorter Bind.
   * A NULL's format does not matter, so it fits either.
   */
  private static short[] compact(short[] formats, int[] lengths) {
    boolean allText = true;
    boolean allBinary = true;
    for (int i = 0; i < formats.length; i++) {
      if (lengths[i] >= 0) {
        allText &= formats[i] == 0;
        allBinary &= formats[i] == 1;
      }
    }
    if (allBinary && !allText) {
      return ALL_BINARY;
    }
    return allText ? ALL_TEXT : formats;
  }
}
