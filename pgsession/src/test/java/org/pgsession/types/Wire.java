package org.pgsession.types;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Test helpers: round trips and decoding of hand-written server text. */
final class Wire {
  static final CodecRegistry R = CodecRegistry.defaults();

  private Wire() {}

  /** Encodes with the registry, decodes the bytes back as the encoded OID in binary. */
  static Object roundTrip(CodecRegistry r, Object v) {
    EncodedValue e = r.encode(v);
    if (e.format() != Format.BINARY) {
      throw new AssertionError("expected binary encoding of " + v + ", got " + e.format());
    }
    return r.decode(e.oid(), Format.BINARY, awkward(e.bytes()));
  }

  static Object roundTrip(Object v) {
    return roundTrip(R, v);
  }

  /** Decodes text the server would send. */
  static Object text(CodecRegistry r, int oid, String s) {
    return r.decode(oid, Format.TEXT, awkward(s.getBytes(StandardCharsets.UTF_8)));
  }

  static Object text(int oid, String s) {
    return text(R, oid, s);
  }

  static Object binary(int oid, byte[] b) {
    return R.decode(oid, Format.BINARY, awkward(b));
  }

  /**
   * Puts bytes in a read-only slice of a larger buffer at a non-zero position, so codecs that
   * use array() or absolute index 0 fail.
   */
  static ByteBuffer awkward(byte[] b) {
    ByteBuffer big = ByteBuffer.allocateDirect(b.length + 7);
    big.put(new byte[] {9, 9, 9});
    big.put(b);
    big.put(new byte[] {9, 9, 9, 9});
    big.position(3).limit(3 + b.length);
    ByteBuffer view = big.slice().asReadOnlyBuffer();
    ByteBuffer outer = ByteBuffer.allocate(b.length + 5);
    outer.put(new byte[] {7, 7});
    outer.put(b);
    outer.position(2).limit(2 + b.length);
    // alternate between direct read-only and heap-with-offset views
    return (b.length % 2 == 0) ? view : outer.slice(2, b.length).asReadOnlyBuffer();
  }

  /** Replaces byte[] (recursively inside arrays and composites) by a hex String for equals. */
  static Object comparable(Object v) {
    if (v instanceof byte[] b) {
      StringBuilder sb = new StringBuilder("bytes:");
      for (byte x : b) {
        sb.append(String.format("%02x", x));
      }
      return sb.toString();
    }
    if (v instanceof PgArray a) {
      java.util.List<Object> out = new java.util.ArrayList<>();
      for (Object e : a.elements()) {
        out.add(comparable(e));
      }
      return new PgArray(a.elementOid(), out);
    }
    if (v instanceof PgComposite c) {
      java.util.List<Object> out = new java.util.ArrayList<>();
      for (Object e : c.fields()) {
        out.add(comparable(e));
      }
      return new PgComposite(c.typeOid(), c.fieldNames(), c.fieldOids(), out);
    }
    return v;
  }

  static byte[] hex(String h) {
    byte[] out = new byte[h.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
