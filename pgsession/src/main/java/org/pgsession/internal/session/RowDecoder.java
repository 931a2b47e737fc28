package org.pgsession.internal.session;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pgsession.Column;
import org.pgsession.Row;
import org.pgsession.internal.codec.ColumnDecoder;
import org.pgsession.internal.codec.TypeTable;
import org.pgsession.internal.protocol.BackendMessage.DataRow;
import org.pgsession.internal.protocol.BackendMessage.FieldDescription;
import org.pgsession.internal.protocol.ProtocolViolationException;
import org.pgsession.types.CodecRegistry;
import org.pgsession.types.Format;

/**
 * Decodes the DataRows of one RowDescription into {@link Row}s. One {@link ColumnDecoder} per
 * column is resolved here, once; each row is then decoded straight from the inbound buffer while
 * its message is dispatched, into the row's own arrays: numbers unboxed, other values as objects.
 *
 * <p>Used on one session's event loop only: column decoders may remember the last value of
 * their column (so repeated timestamps share one object), which is harmless but pointless to
 * share between threads.
 */
final class RowDecoder {

  /** A value that its codec could not decode; becomes a DataError. */
  static final class DecodeFailure extends Exception {
    private static final long serialVersionUID = 1L;

    DecodeFailure(String message) {
      super(message, null, false, false);
    }
  }

  private final List<Column> columns;
  private final String[] names;
  private final int[] oids;
  private final Format[] formats;
  private final ColumnDecoder[] decoders;
  private final byte[] kinds;
  private final int[] slots;
  private final int refCount;
  private final int primCount;
  /** Rows without NULLs in primitive columns: numbers unboxed. */
  private final RowLayout compact;
  /** Rows with a NULL in a primitive column: every value an object. */
  private final RowLayout boxed;

  /** @param fields the row description @param registry the codecs */
  RowDecoder(List<FieldDescription> fields, CodecRegistry registry) {
    TypeTable table = TypeTable.of(registry);
    int n = fields.size();
    List<Column> cols = new ArrayList<>(n);
    names = new String[n];
    oids = new int[n];
    formats = new Format[n];
    decoders = new ColumnDecoder[n];
    kinds = new byte[n];
    slots = new int[n];
    int refs = 0;
    int prims = 0;
    for (int i = 0; i < n; i++) {
      FieldDescription f = fields.get(i);
      if (f.format() != 0 && f.format() != 1) {
        throw new ProtocolViolationException("RowDescription column " + i + " has format code " + f.format());
      }
      cols.add(new Column(f.name(), f.typeOid(), f.format()));
      names[i] = f.name();
      oids[i] = f.typeOid();
      formats[i] = f.format() == 0 ? Format.TEXT : Format.BINARY;
      decoders[i] = table.columnDecoder(oids[i], formats[i]).forColumn();
      kinds[i] = decoders[i].kind();
      slots[i] = kinds[i] == ColumnDecoder.REF ? refs++ : prims++;
    }
    refCount = refs;
    primCount = prims;
    columns = List.copyOf(cols);
    compact = new RowLayout(names, kinds, slots);
    boxed = new RowLayout(names);
  }

  /** @return the columns */
  List<Column> columns() {
    return columns;
  }

  /**
   * Decodes every value of the row now: the DataRow's buffer is only valid during dispatch.
   *
   * @param row the raw row
   * @return the decoded row
   * @throws DecodeFailure when a codec rejects a value
   * @throws ProtocolViolationException when the value count differs from the description
   */
  Row decode(DataRow row) throws DecodeFailure {
    int n = names.length;
    if (row.size() != n) {
      throw new ProtocolViolationException("DataRow has " + row.size() + " values but the RowDescription has "
          + n + " columns");
    }
    ByteBuf buf = row.buffer();
    Object[] refs = refCount == 0 ? null : new Object[refCount];
    long[] prims = primCount == 0 ? null : new long[primCount];
    for (int i = 0; i < n; i++) {
      int len = row.length(i);
      if (len < 0) {
        if (kinds[i] != ColumnDecoder.REF) {
          return decodeBoxed(row); // a NULL number: this row keeps every value as an object
        }
        continue;
      }
      try {
        if (kinds[i] == ColumnDecoder.REF) {
          refs[slots[i]] = decoders[i].decode(buf, row.offset(i), len);
        } else {
          prims[slots[i]] = decoders[i].decodeBits(buf, row.offset(i), len);
        }
      } catch (RuntimeException e) {
        throw failure(i, e);
      }
    }
    return compact.newRow(refs, prims);
  }

  private Row decodeBoxed(DataRow row) throws DecodeFailure {
    ByteBuf buf = row.buffer();
    Object[] values = new Object[names.length];
    for (int i = 0; i < values.length; i++) {
      int len = row.length(i);
      if (len >= 0) {
        try {
          values[i] = decoders[i].decode(buf, row.offset(i), len);
        } catch (RuntimeException e) {
          throw failure(i, e);
        }
      }
    }
    return boxed.newRow(values, null);
  }

  private DecodeFailure failure(int i, RuntimeException e) {
    return new DecodeFailure("cannot decode column " + i + " ('" + names[i] + "', type OID " + oids[i] + ", "
        + formats[i].name().toLowerCase(Locale.ROOT) + " format): " + e.getMessage());
  }
}
