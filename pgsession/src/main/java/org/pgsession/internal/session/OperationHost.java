package org.pgsession.internal.session;

import org.pgsession.Session;
import org.pgsession.internal.transport.Transport;
import org.pgsession.types.CodecRegistry;

/** What an {@link Operation} may use of its session. */
interface OperationHost {
  /** @return the public session, passed to callbacks */
  Session session();

  /** @return the session's codecs */
  CodecRegistry registry();

  /** @return known statement descriptions (result formats) */
  StatementDescriptions descriptions();

  /** @return the automatic statement cache (disabled when its size is 0) */
  StatementCache statementCache();

  /** @return the transaction status of the last ReadyForQuery */
  org.pgsession.TransactionStatus transactionStatus();

  /** @return the connection */
  Transport transport();

  /**
   * @return names of prepared statements whose SQL may run COPY FROM STDIN: executions of them
   *     are never pipelined (the server would take the messages written behind as COPY input)
   */
  java.util.Set<String> copyInStatements();

  /** @return whether operations were written behind the one the server answers now (pipelining) */
  boolean writtenBehindHead();
}
