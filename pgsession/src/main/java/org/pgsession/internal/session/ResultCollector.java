package org.pgsession.internal.session;

import java.util.List;
import org.pgsession.Query;
import org.pgsession.Result;
import org.pgsession.ResultSet;
import org.pgsession.Row;
import org.pgsession.RowModifying;
import org.pgsession.Rows;
import org.pgsession.internal.protocol.BackendMessage.DataRow;
import org.pgsession.internal.protocol.BackendMessage.FieldDescription;
import org.pgsession.internal.protocol.ProtocolViolationException;
import org.pgsession.types.CodecRegistry;

/**
 * Accumulates one statement's rows between its RowDescription and CommandComplete and turns
 * them into a {@link Result}. After a decode failure it keeps counting but stops decoding.
 */
final class ResultCollector {
  private final CodecRegistry registry;
  private RowDecoder decoder;
  private RowList rows;

  /** @param registry the codecs */
  ResultCollector(CodecRegistry registry) {
    this.registry = registry;
  }

  /** A RowDescription: rows follow. @param fields the columns */
  void describe(List<FieldDescription> fields) {
    decoder = new RowDecoder(fields, registry);
    rows = new RowList(0);
  }

  /** Rows follow, decoded by a decoder built earlier (a cached statement's). @param decoder it */
  void describe(RowDecoder decoder) {
    this.decoder = decoder;
    rows = new RowList(0);
  }

  /** @return whether no row was collected since the last description */
  boolean isEmpty() {
    return rows == null || rows.isEmpty();
  }

  /** @return whether a RowDescription is pending */
  boolean described() {
    return decoder != null;
  }

  /**
   * @param row one DataRow
   * @throws RowDecoder.DecodeFailure if a value cannot be decoded
   */
  void row(DataRow row) throws RowDecoder.DecodeFailure {
    if (decoder == null) {
      throw new ProtocolViolationException("DataRow without a RowDescription");
    }
    rows.add(decoder.decode(row));
  }

  /** @return the rows so far, as a batch, and start a new batch with the same columns */
  Rows takeBatch() {
    Rows batch = new Rows(decoder.columns(), rows);
    rows = new RowList(rows.size()); // windows tend to be full: size the next one alike
    return batch;
  }

  /**
   * CommandComplete: the statement's result; resets for the next statement.
   *
   * @param query the query it belongs to
   * @param tag the command tag
   * @return ResultSet if rows were described, RowModifying otherwise
   */
  Result complete(Query query, String tag) {
    CommandTag parsed = CommandTag.parse(tag);
    Result result = decoder != null
        ? new ResultSet(query, new Rows(decoder.columns(), rows), parsed.command())
        : new RowModifying(query, parsed.command(), parsed.rows());
    reset();
    return result;
  }

  /** Forgets any pending description and rows. */
  void reset() {
    decoder = null;
    rows = null;
  }
}
