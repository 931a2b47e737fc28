package org.pgsession.internal.session;

import io.netty.buffer.ByteBuf;
import org.pgsession.ExtendedQuery;
import org.pgsession.NamedPreparedQuery;
import org.pgsession.PreparedQuery;
import org.pgsession.internal.protocol.FrontendMessages;

/** The extended-protocol message sequences shared by queries, streams and pipelines. */
final class ExtendedWrites {
  private ExtendedWrites() {}

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
    FrontendMessages.bind(buf, "", statementName(query), params.formats(), params.values(), resultFormats);
    FrontendMessages.describe(buf, (byte) 'P', "");
    FrontendMessages.execute(buf, "", maxRows);
  }
}
