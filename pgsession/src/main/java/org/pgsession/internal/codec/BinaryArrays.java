package org.pgsession.internal.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.pgsession.types.PgArray;

/**
 * PostgreSQL's binary array format: int32 ndim, int32 flags (1 if it has NULLs), int32 element
 * OID, then per dimension int32 size and int32 lower bound, then the elements in row-major
 * order, each int32 length (-1 for NULL) and bytes. Lower bounds are not kept (arrays decode as
 * lists); encoding uses lower bound 1.
 */
public final class BinaryArrays {
  private BinaryArrays() {}

  /**
   * @param b the array bytes (consumed)
   * @param elementOid the element type to decode with
   * @param types the registry, for the elements
   * @return the array
   */
  public static PgArray decode(ByteBuffer b, int elementOid, TypeTable types) {
    Bufs.need(b, 12, "array");
    int ndim = b.getInt();
    int flags = b.getInt();
    b.getInt(); // element OID as sent; we decode with the registered one
    if (ndim < 0 || ndim > TextArrays.MAX_DIMS) {
      throw Bufs.malformed("array", "invalid number of dimensions " + ndim);
    }
    if (flags != 0 && flags != 1) {
      throw Bufs.malformed("array", "invalid flags " + flags);
    }
    if (ndim == 0) {
      if (b.hasRemaining()) {
        throw Bufs.malformed("array", "bytes after an empty array");
      }
      return new PgArray(elementOid, Collections.emptyList());
    }
    Bufs.need(b, 8 * ndim, "array");
    int[] dims = new int[ndim];
    long total = 1;
    for (int i = 0; i < ndim; i++) {
      dims[i] = b.getInt();
      int lb = b.getInt();
      if (dims[i] < 0) {
        throw Bufs.malformed("array", "negative dimension size " + dims[i]);
      }
      if ((long) lb + dims[i] - 1 > Integer.MAX_VALUE) {
        throw Bufs.malformed("array", "upper bound out of range");
      }
      total *= dims[i];
      if (total > b.remaining() / 4 + 1L) {
        throw Bufs.malformed("array", "dimensions need more elements than the bytes hold");
      }
    }
    if (total * 4 > b.remaining()) {
      throw Bufs.malformed("array", "dimensions need more elements than the bytes hold");
    }
    PgArray out = level(b, dims, 0, elementOid, types);
    if (b.hasRemaining()) {
      throw Bufs.malformed("array", b.remaining() + " bytes after the last element");
    }
    return out;
  }

  private static PgArray level(ByteBuffer b, int[] dims, int d, int elementOid, TypeTable types) {
    int n = dims[d];
    List<Object> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (d + 1 < dims.length) {
        items.add(level(b, dims, d + 1, elementOid, types));
        continue;
      }
      Bufs.need(b, 4, "array");
      int len = b.getInt();
      if (len == -1) {
        items.add(null);
      } else if (len < 0) {
        throw Bufs.malformed("array", "invalid element length " + len);
      } else {
        items.add(types.decodeBinary(elementOid, Bufs.take(b, len, "array element")));
      }
    }
    return new PgArray(elementOid, items);
  }

  /**
   * @param a the array; nested PgArrays are further dimensions and must be rectangular
   * @param elementOid the element type to encode with
   * @param types the registry, for the elements
   * @return the binary array
   */
  public static byte[] encode(PgArray a, int elementOid, TypeTable types) {
    List<Integer> dimList = new ArrayList<>();
    Object cur = a;
    while (cur instanceof PgArray p) {
      dimList.add(p.elements().size());
      if (dimList.size() > TextArrays.MAX_DIMS) {
        throw new IllegalArgumentException("array has more than " + TextArrays.MAX_DIMS
            + " dimensions");
      }
      cur = p.elements().isEmpty() ? null : p.elements().get(0);
    }
    int[] dims = dimList.stream().mapToInt(Integer::intValue).toArray();
    boolean empty = false;
    for (int d : dims) {
      empty |= d == 0;
    }
    Out out = new Out(64);
    if (empty) {
      checkShape(a, dims, 0);
      return out.putInt(0).putInt(0).putInt(elementOid).toArray();
    }
    int flagsAt = 4;
    out.putInt(dims.length).putInt(0).putInt(elementOid);
    for (int d : dims) {
      out.putInt(d).putInt(1);
    }
    boolean nulls = write(out, a, dims, 0, elementOid, types);
    byte[] bytes = out.toArray();
    if (nulls) {
      bytes[flagsAt + 3] = 1;
    }
    return bytes;
  }

  private static void checkShape(PgArray a, int[] dims, int d) {
    if (a.elements().size() != dims[d]) {
      throw notRectangular();
    }
    for (Object e : a.elements()) {
      if (d + 1 < dims.length) {
        if (!(e instanceof PgArray p)) {
          throw notRectangular();
        }
        checkShape(p, dims, d + 1);
      } else if (e instanceof PgArray) {
        throw notRectangular();
      }
    }
  }

  private static IllegalArgumentException notRectangular() {
    return new IllegalArgumentException("multi-dimensional PgArray must be rectangular: every "
        + "sub-array of a level the same size, and no NULL or scalar where a sub-array belongs");
  }

  private static boolean write(Out out, PgArray a, int[] dims, int d, int elementOid,
      TypeTable types) {
    if (a.elements().size() != dims[d]) {
      throw notRectangular();
    }
    boolean nulls = false;
    for (Object e : a.elements()) {
      if (d + 1 < dims.length) {
        if (!(e instanceof PgArray p)) {
          throw notRectangular();
        }
        nulls |= write(out, p, dims, d + 1, elementOid, types);
      } else if (e == null) {
        out.putInt(-1);
        nulls = true;
      } else if (e instanceof PgArray) {
        throw notRectangular();
      } else {
        byte[] b = types.encodeBinary(elementOid, e);
        out.putInt(b.length).put(b);
      }
    }
    return nulls;
  }
}
