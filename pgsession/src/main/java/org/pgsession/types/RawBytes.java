package org.pgsession.types;

import java.util.Arrays;

/**
 * A binary-format value of a type no codec knows. Equality by content.
 *
 * @param oid the type OID
 * @param data the raw wire bytes
 */
public record RawBytes(int oid, byte[] data) {
  @Override
  public boolean equals(Object o) {
    return o instanceof RawBytes r && oid == r.oid && Arrays.equals(data, r.data);
  }

  @Override
  public int hashCode() {
    return 31 * oid + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "RawBytes[oid=" + oid + ", data=" + Arrays.toString(data) + "]";
  }
}
