package org.pgsession.internal.session;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.pgsession.Column;
import org.pgsession.Row;
import org.pgsession.internal.protocol.BackendMessage.DataRow;
import org.pgsession.internal.protocol.BackendMessage.FieldDescription;
import org.pgsession.internal.protocol.ProtocolViolationException;
import org.pgsession.types.CodecRegistry;
import org.pgsession.types.Format;

/** Decodes DataRows of one RowDescription into {@link Row}s through the codec registry. */
final class RowDecoder {

  /** A value that its codec could not decode; becomes a DataError. */
  static final class DecodeFailure extends Exception {
    private static final long serialVersionUID = 1L;

    DecodeFailure(String message) {
      super(message, null, false, false);
    }
  }

  private final CodecRegistry registry;
  private final List<Column> columns;
  private final String[] names;
  private final int[] oids;
  private final Format[] formats;

  /** @param fields the row description @param registry the codecs */
  RowDecoder(List<FieldDescription> fields, CodecRegistry registry) {
    this.registry = registry;
    int n = fields.size();
    List<Column> cols = new ArrayList<>(n);
    names = new String[n];
    oids = new int[n];
    formats = new Format[n];
    for (int i = 0; i < n; i++) {
      FieldDescription f = fields.get(i);
      if (f.format() != 0 && f.format() != 1) {
        throw new ProtocolViolationException("RowDescription column " + i + " has format code " + f.format());
      }
      cols.add(new Column(f.name(), f.typeOid(), f.format()));
      names[i] = f.name();
      oids[i] = f.typeOid();
      formats[i] = f.format() == 0 ? Format.TEXT : Format.BINARY;
    }
    columns = List.copyOf(cols);
  }

  /** @return the columns */
  List<Column> columns() {
    return columns;
  }

  /**
   * @param row the raw row
   * @return the decoded row
   * @throws DecodeFailure when a codec rejects a value
   * @throws ProtocolViolationException when the value count differs from the description
   */
  Row decode(DataRow row) throws DecodeFailure {
    if (row.size() != names.length) {
      throw new ProtocolViolationException("DataRow has " + row.size() + " values but the RowDescription has "
          + names.length + " columns");
    }
    Object[] values = new Object[names.length];
    byte[] body = row.body();
    for (int i = 0; i < values.length; i++) {
      int len = row.lengths()[i];
      if (len < 0) {
        continue;
      }
      ByteBuffer data = ByteBuffer.wrap(body, row.offsets()[i], len).slice();
      try {
        values[i] = registry.decode(oids[i], formats[i], data);
      } catch (RuntimeException e) {
        throw new DecodeFailure("cannot decode column " + i + " ('" + names[i] + "', type OID " + oids[i] + ", "
            + formats[i].name().toLowerCase(java.util.Locale.ROOT) + " format): " + e.getMessage());
      }
    }
    return new Row(names, values);
  }
}
