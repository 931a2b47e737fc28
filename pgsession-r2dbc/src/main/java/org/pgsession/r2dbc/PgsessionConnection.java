package org.pgsession.r2dbc;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionMetadata;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.R2dbcRollbackException;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.pgsession.ExtendedQuery;
import org.pgsession.Query;
import org.pgsession.RowModifying;
import org.pgsession.Session;
import org.pgsession.SimpleQuery;
import org.pgsession.TransactionStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An R2DBC connection over one pgsession {@link Session}. Work runs in subscription order on the
 * session (one operation at a time). In auto-commit mode (the default) each statement outside a
 * transaction block commits by itself; {@link #beginTransaction()} starts a block (auto-commit is
 * then off until it ends), and with {@code setAutoCommit(false)} a block is begun before the
 * next statement that runs outside one. The transaction state is the server's own, as of the
 * last ReadyForQuery.
 */
public final class PgsessionConnection implements Connection {
  private final Session session;
  private volatile boolean autoCommit = true;
  private volatile IsolationLevel isolationLevel;

  PgsessionConnection(Session session, IsolationLevel isolationLevel) {
    this.session = session;
    this.isolationLevel = isolationLevel;
  }

  /** @return the pgsession session under this connection, for the driver's own API */
  public Session session() {
    return session;
  }

  @Override
  public Mono<Void> beginTransaction() {
    return Mono.defer(() -> inBlock() ? Mono.empty() : command("BEGIN"));
  }

  /** Begins a block with the definition's isolation level, read-only mode and lock wait timeout. */
  @Override
  public Mono<Void> beginTransaction(TransactionDefinition definition) {
    Args.notNull(definition, "definition");
    StringBuilder sql = new StringBuilder("BEGIN");
    IsolationLevel level = definition.getAttribute(TransactionDefinition.ISOLATION_LEVEL);
    if (level != null) {
      sql.append(" ISOLATION LEVEL ").append(level.asSql());
    }
    Boolean readOnly = definition.getAttribute(TransactionDefinition.READ_ONLY);
    if (readOnly != null) {
      sql.append(readOnly ? " READ ONLY" : " READ WRITE");
    }
    Duration lockWait = definition.getAttribute(TransactionDefinition.LOCK_WAIT_TIMEOUT);
    if (lockWait != null) {
      sql.append("; SET LOCAL lock_timeout = ").append(lockWait.toMillis());
    }
    return Mono.defer(() -> inBlock() ? Mono.empty() : command(sql.toString()));
  }

  /** Commits the block; a block that had failed is rolled back and this fails with R2dbcRollbackException. */
  @Override
  public Mono<Void> commitTransaction() {
    return Mono.defer(() -> {
      if (!inBlock()) {
        return Mono.empty();
      }
      return future("COMMIT", () -> session.execute(new SimpleQuery("COMMIT"))).flatMap(results -> {
        if (results.size() == 1 && results.get(0) instanceof RowModifying r && r.command().equals("ROLLBACK")) {
          return Mono.error(new R2dbcRollbackException("the transaction had failed; COMMIT rolled it back",
              "40000", 0, "COMMIT"));
        }
        return Mono.empty();
      });
    });
  }

  @Override
  public Mono<Void> rollbackTransaction() {
    return Mono.defer(() -> inBlock() ? command("ROLLBACK") : Mono.empty());
  }

  /** Creates a savepoint; outside a block it begins one first. */
  @Override
  public Mono<Void> createSavepoint(String name) {
    String savepoint = "SAVEPOINT " + quote(name);
    return Mono.defer(() -> command(inBlock() ? savepoint : "BEGIN; " + savepoint));
  }

  @Override
  public Mono<Void> releaseSavepoint(String name) {
    String sql = "RELEASE SAVEPOINT " + quote(name);
    return Mono.defer(() -> command(sql));
  }

  @Override
  public Mono<Void> rollbackTransactionToSavepoint(String name) {
    String sql = "ROLLBACK TO SAVEPOINT " + quote(name);
    return Mono.defer(() -> command(sql));
  }

  /** @return true when in auto-commit mode and not inside a transaction block */
  @Override
  public boolean isAutoCommit() {
    return autoCommit && !inBlock();
  }

  /** Switching on commits an open block; switching off begins a block before the next statement. */
  @Override
  public Mono<Void> setAutoCommit(boolean autoCommit) {
    return Mono.defer(() -> {
      this.autoCommit = autoCommit;
      return autoCommit ? commitTransaction() : Mono.empty();
    });
  }

  @Override
  public IsolationLevel getTransactionIsolationLevel() {
    return isolationLevel;
  }

  /** Sets the session's default isolation level, for the blocks begun after this. */
  @Override
  public Mono<Void> setTransactionIsolationLevel(IsolationLevel level) {
    Args.notNull(level, "isolationLevel");
    return Mono.defer(() -> command("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL " + level.asSql()))
        .doOnSuccess(ignored -> isolationLevel = level);
  }

  /** Sets {@code lock_timeout} for this session (0: wait without limit). */
  @Override
  public Mono<Void> setLockWaitTimeout(Duration timeout) {
    Args.notNull(timeout, "timeout");
    return Mono.defer(() -> command("SET lock_timeout = " + timeout.toMillis()));
  }

  /** Sets {@code statement_timeout} for this session (0: no limit); the server cancels longer statements. */
  @Override
  public Mono<Void> setStatementTimeout(Duration timeout) {
    Args.notNull(timeout, "timeout");
    return Mono.defer(() -> command("SET statement_timeout = " + timeout.toMillis()));
  }

  /** LOCAL: the session is open; REMOTE: it is open and the server answers a query. */
  @Override
  public Mono<Boolean> validate(ValidationDepth depth) {
    Args.notNull(depth, "depth");
    return Mono.defer(() -> {
      if (!session.isOpen() || depth == ValidationDepth.LOCAL) {
        return Mono.just(session.isOpen());
      }
      return future("SELECT 1", () -> session.execute(new SimpleQuery("SELECT 1"))).thenReturn(true)
          .onErrorReturn(false);
    });
  }

  @Override
  public Statement createStatement(String sql) {
    return new PgsessionStatement(this, Args.notNull(sql, "sql"));
  }

  @Override
  public Batch createBatch() {
    return new PgsessionBatch(this);
  }

  @Override
  public ConnectionMetadata getMetadata() {
    String version = session.parameter("server_version");
    return new ConnectionMetadata() {
      @Override
      public String getDatabaseProductName() {
        return "PostgreSQL";
      }

      @Override
      public String getDatabaseVersion() {
        return version;
      }
    };
  }

  /** Closes the session; the server rolls back an open block. */
  @Override
  public Mono<Void> close() {
    return Mono.defer(() -> Mono.fromFuture(session.closeAsync(), true));
  }

  // ---- used by statements and batches ----------------------------------------------------

  /** Runs {@code work} after beginning a block when auto-commit is off and none is open. */
  Flux<Result> run(Flux<Result> work) {
    return Mono.defer(() -> !autoCommit && !inBlock() ? command("BEGIN") : Mono.<Void>empty()).thenMany(work);
  }

  /** @return one result per statement of the query, once the server finished all of them */
  Flux<Result> executeAll(Query query, String sql) {
    return future(sql, () -> session.execute(query))
        .flatMapIterable(results -> results.stream()
            .<Result>map(r -> new PgsessionResult(Flux.fromIterable(Segments.of(r))))
            .toList());
  }

  /** @return the result of a query whose rows stream in windows as its consumer asks */
  Result streamed(ExtendedQuery query, String sql, int fetchSize) {
    return new PgsessionResult(RowStream.segments(session, query, sql, fetchSize));
  }

  private boolean inBlock() {
    return session.transactionStatus() != TransactionStatus.IDLE;
  }

  private Mono<Void> command(String sql) {
    return future(sql, () -> session.execute(new SimpleQuery(sql))).then();
  }

  private static <T> Mono<T> future(String sql, Supplier<CompletableFuture<T>> call) {
    return Mono.fromFuture(call, true).onErrorMap(e -> Errors.translate(e, sql));
  }

  private static String quote(String name) {
    Args.notNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("savepoint name must not be empty");
    }
    return '"' + name.replace("\"", "\"\"") + '"';
  }

}
