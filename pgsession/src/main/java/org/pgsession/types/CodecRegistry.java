package org.pgsession.types;

import java.nio.ByteBuffer;
import java.util.List;

/** STUB: being implemented. Immutable registry of codecs by type OID. */
public final class CodecRegistry {
  private CodecRegistry() {}

  /** @return all built-in codecs */
  public static CodecRegistry defaults() {
    return new CodecRegistry();
  }

  /** @param oid type @param codec codec @return new registry */
  public CodecRegistry withCodec(int oid, Codec codec) {
    throw new UnsupportedOperationException();
  }

  /** @param oid enum type OID @return new registry */
  public CodecRegistry withEnumType(int oid) {
    throw new UnsupportedOperationException();
  }

  /** @param oid composite type OID @param fields its attributes @return new registry */
  public CodecRegistry withCompositeType(int oid, List<CompositeField> fields) {
    throw new UnsupportedOperationException();
  }

  /** @param arrayOid array type @param elementOid element type @return new registry */
  public CodecRegistry withArrayType(int arrayOid, int elementOid) {
    throw new UnsupportedOperationException();
  }

  /** @param elementOid element type @return its array type OID, 0 if unknown */
  public int arrayOidFor(int elementOid) {
    return 0;
  }

  /** @param oid type @return whether a binary codec exists */
  public boolean hasBinaryCodec(int oid) {
    return false;
  }

  /** @param oid type @param format format @param data bytes @return value */
  public Object decode(int oid, Format format, ByteBuffer data) {
    byte[] b = new byte[data.remaining()];
    data.get(b);
    return format == Format.TEXT ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : new RawBytes(oid, b);
  }

  /** @param value non-null parameter @return encoded */
  public EncodedValue encode(Object value) {
    if (value instanceof String s) {
      return new EncodedValue(0, Format.TEXT, s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    throw new IllegalArgumentException("no codec for " + value.getClass().getName());
  }
}
