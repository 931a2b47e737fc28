package org.pgsession.internal.session;

import io.netty.buffer.ByteBuf;
import org.pgsession.ExtendedQuery;
import org.pgsession.NamedPreparedQuery;
import org.pgsession.PreparedQuery;
import org.pgsession.internal.protocol.FrontendMessages;

/** The extended-protocol message sequences shared by queries, streams and pipelines. */
final class ExtendedWrites {
  private ExtendedWrites() {}

  /**
   * @param sql the SQL text when a Parse is written, else null
   * @param params the parameters
   * @return a close upper estimate of the bytes of one execution's messages, to size the buffer once
   */
  static int sizeHint(String sql, BoundParameters params) {
    long hint = 128 + 6L * params.count() + params.dataLength() + (sql == null ? 0 : 3L * sql.length());
    return (int) Math.min(hint, 1 << 20); // beyond that, let the buffer grow rather than reserve
  }

  /**
   * Rejects parameters whose Bind would exceed the protocol's 1 GiB message limit, before any
   * message of the operation is written (a Bind written later, after a Describe, must not fail).
   *
   * @param params the parameters
   * @throws org.pgsession.internal.protocol.MessageTooLargeException when too large
   */
  static void checkBindLength(BoundParameters params) {
    long len = 64 + 6L * params.count() + params.dataLength(); // + names and result formats, < 64 KiB more
    if (len + 2L * 0xFFFF + 2 * 64 > FrontendMessages.MAX_MESSAGE_LENGTH) {
      throw new org.pgsession.internal.protocol.MessageTooLargeException("Bind would be about " + len
          + " bytes long, the maximum is " + FrontendMessages.MAX_MESSAGE_LENGTH);
    }
  }

  /** @return the statement name a query executes ("" for the unnamed one) */
  static String statementName(ExtendedQuery query) {
    return query instanceof NamedPreparedQuery nq ? nq.name() : "";
  }

  /** @return result formats for the query: known ones, or null when it must be described first */
  static short[] knownFormats(ExtendedQuery query, BoundParameters params, StatementDescriptions descriptions) {
    return query instanceof PreparedQuery pq ? descriptions.forSql(pq.sql(), params)
        : descriptions.forName(((NamedPreparedQuery) query).name());
  }

  /** Parse of an unnamed statement (nothing for a named one, which the server already has). */
  static void parseIfUnnamed(ByteBuf buf, ExtendedQuery query, BoundParameters params) {
    if (query instanceof PreparedQuery pq) {
      FrontendMessages.parse(buf, "", pq.sql(), params.oids());
    }
  }

  /** Bind + Describe portal + Execute of the unnamed portal. */
  static void bindDescribeExecute(ByteBuf buf, ExtendedQuery query, BoundParameters params, short[] resultFormats,
      int maxRows) {
    FrontendMessages.bindValues(buf, "", statementName(query), params.formats(), params, resultFormats);
    FrontendMessages.describe(buf, (byte) 'P', "");
    FrontendMessages.execute(buf, "", maxRows);
  }
}
