package org.pgsession.internal.session;

import java.time.Duration;
import org.pgsession.PrepareReceiver;
import org.pgsession.QueryFailure;
import org.pgsession.internal.protocol.BackendMessage;
import org.pgsession.internal.protocol.BackendMessage.ErrorResponse;
import org.pgsession.internal.protocol.BackendMessage.NoData;
import org.pgsession.internal.protocol.BackendMessage.ParameterDescription;
import org.pgsession.internal.protocol.BackendMessage.ParseComplete;
import org.pgsession.internal.protocol.BackendMessage.RowDescription;
import org.pgsession.internal.protocol.FrontendMessages;

/** Parse + Describe of a named statement; remembers its columns for later executions. */
final class PrepareOp extends Operation {
  private final String name;
  private final String sql;
  private final PrepareReceiver receiver;

  PrepareOp(String name, String sql, PrepareReceiver receiver, Duration timeout) {
    super(timeout);
    this.name = name;
    this.sql = sql;
    this.receiver = receiver;
  }

  @Override
  boolean pipelinable(OperationHost host) {
    return statementTimeout() == null;
  }

  @Override
  boolean start(OperationHost host) {
    if (StatementCache.reserved(name)) {
      fail(host, new org.pgsession.ClientQueryError.DataError("statement names starting with \""
          + StatementCache.RESERVED_PREFIX + "\" are reserved for the driver's statement cache"));
      return false;
    }
    if (WrittenOperations.mayCopyIn(sql)) {
      host.copyInStatements().add(name);
    }
    return sendOrFail(host, "prepare", buf -> {
      FrontendMessages.parse(buf, name, sql, new int[0]);
      FrontendMessages.describe(buf, (byte) 'S', name);
      FrontendMessages.sync(buf);
    });
  }

  @Override
  void onMessage(BackendMessage message, OperationHost host) {
    if (message instanceof ParameterDescription pd) {
      host.descriptions().rememberNameParams(name, pd.typeOids());
    } else if (message instanceof RowDescription rd) {
      host.descriptions().rememberName(name, ExtendedQueryOp.columnOids(rd.fields()));
    } else if (message instanceof NoData) {
      host.descriptions().rememberName(name, new int[0]);
    } else if (message instanceof ErrorResponse err) {
      fail(host, err.error());
    } else if (!(message instanceof ParseComplete)) {
      throw unexpected(message);
    }
  }

  @Override
  boolean onReadyForQuery(OperationHost host) {
    if (terminate()) {
      Callbacks.run("pgStatementPrepared", () -> receiver.pgStatementPrepared(host.session(), name));
    }
    return true;
  }

  @Override
  protected void deliverFailure(OperationHost host, QueryFailure failure) {
    Callbacks.run("pgPrepareFailed", () -> receiver.pgPrepareFailed(host.session(), name, failure));
  }
}
