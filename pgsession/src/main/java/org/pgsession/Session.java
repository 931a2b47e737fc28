package org.pgsession;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Function;
import org.pgsession.internal.future.CopyInPump;
import org.pgsession.internal.future.CopyOutPump;
import org.pgsession.internal.future.Opener;
import org.pgsession.internal.future.ResultFuture;
import org.pgsession.internal.future.RowPublisher;
import org.pgsession.internal.future.Transactions;
import org.pgsession.internal.session.SessionMachine;
import org.pgsession.types.CodecRegistry;

/**
 * One connection to a PostgreSQL server, driven by a state machine on a Netty event loop.
 *
 * <p>{@link #connect} starts connecting at once; lifecycle events go to the
 * {@link SessionStatusNotify}. Operations may be called from any thread: each only enqueues
 * work on the session's event loop and returns. One operation runs at a time, the others wait
 * in call order. Every operation's receiver gets exactly one terminal callback, also when the
 * session closes or the server dies. Callbacks run on the event loop thread and must not block;
 * they may call any method of the session.
 *
 * <p>Operations called before the TCP connection is up fail at once with
 * {@link ClientQueryError.SessionNeverOpened}, before authentication has finished with
 * {@link ClientQueryError.SessionNotAuthenticated}, and after shutdown with
 * {@link ClientQueryError.SessionClosed}: start work from
 * {@link SessionStatusNotify#pgSessionAuthenticated}.
 *
 * <p>A statement timeout starts when the operation is sent; when it expires the driver sends
 * a CancelRequest and the operation fails with the server's error (SQLSTATE 57014).
 *
 * <p><b>Futures.</b> {@link #open} completes when the session is ready, and the future methods
 * ({@link #query}, {@link #update}, {@link #execute(Query)}, {@link #inTransaction}, ...) wrap the
 * callback API. Failures are {@link PgException}s. Futures complete on the session's event loop:
 * chain work with {@code thenApply}/{@code thenCompose}; {@code join()} from an ordinary or
 * virtual thread is fine, from an event loop thread it would deadlock and throws
 * {@link IllegalStateException}.
 *
 * <pre>{@code
 * ServerConnectInfo server = ServerConnectInfo.of("localhost", 5432);
 * DatabaseConnectInfo db = new DatabaseConnectInfo("app", "secret", "appdb");
 * try (Session s = Session.open(server, db).join()) {
 *   long id = s.inTransaction(tx -> tx.update("insert into t(a) values ($1)", 42)
 *       .thenCompose(n -> tx.query("select max(id) from t"))
 *       .thenApply(rows -> rows.get(0).getLong(0))).join();
 *   System.out.println(s.transactionStatus() + " " + id); // IDLE 1
 * }
 * }</pre>
 */
public final class Session implements AutoCloseable {
  private final SessionMachine machine;

  private Session(ServerConnectInfo server, DatabaseConnectInfo database, SessionStatusNotify notify,
      CodecRegistry registry, SessionOptions options) {
    this.machine = new SessionMachine(this, server, database, notify, registry, options);
  }

  /**
   * Starts connecting with the built-in codecs.
   *
   * @param server where and how to connect
   * @param database who to log in as, and the database
   * @param notify receives lifecycle events
   * @return the session (not yet connected)
   */
  public static Session connect(ServerConnectInfo server, DatabaseConnectInfo database, SessionStatusNotify notify) {
    return connect(server, database, notify, CodecRegistry.defaults());
  }

  /**
   * Starts connecting.
   *
   * @param server where and how to connect
   * @param database who to log in as, and the database
   * @param notify receives lifecycle events
   * @param registry the codecs for parameters and results
   * @return the session (not yet connected)
   */
  public static Session connect(ServerConnectInfo server, DatabaseConnectInfo database, SessionStatusNotify notify,
      CodecRegistry registry) {
    return connect(server, database, notify, registry, SessionOptions.defaults());
  }

  /**
   * Starts connecting with explicit session settings (statement cache, pipelining, startup
   * parameters, liveness).
   *
   * @param server where and how to connect
   * @param database who to log in as, and the database
   * @param notify receives lifecycle events
   * @param registry the codecs for parameters and results
   * @param options the session's settings
   * @return the session (not yet connected)
   */
  public static Session connect(ServerConnectInfo server, DatabaseConnectInfo database, SessionStatusNotify notify,
      CodecRegistry registry, SessionOptions options) {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(notify, "notify");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(options, "options");
    Session session = new Session(server, database, notify, registry, options);
    session.machine.start();
    return session;
  }

  /**
   * Runs a query: a {@link SimpleQuery} (text results, may hold several statements) or an
   * {@link ExtendedQuery} (parameters bound, binary results where possible).
   *
   * @param query the query
   * @param receiver gets one {@code pgQueryResult} per statement or a terminal {@code pgQueryFailed}
   */
  public void execute(Query query, ResultReceiver receiver) {
    execute(query, receiver, null);
  }

  /**
   * Runs a query with a statement timeout.
   *
   * @param query the query
   * @param receiver its receiver
   * @param statementTimeout null for none
   */
  public void execute(Query query, ResultReceiver receiver, Duration statementTimeout) {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(receiver, "receiver");
    machine.execute(query, receiver, statementTimeout);
  }

  /**
   * Prepares a named statement (one SQL statement), for {@link NamedPreparedQuery}.
   *
   * @param name the statement name
   * @param sql the SQL
   * @param receiver gets {@code pgStatementPrepared} or {@code pgPrepareFailed}
   */
  public void prepare(String name, String sql, PrepareReceiver receiver) {
    prepare(name, sql, receiver, null);
  }

  /**
   * Prepares a named statement with a statement timeout.
   *
   * @param name the statement name
   * @param sql the SQL
   * @param receiver its receiver
   * @param statementTimeout null for none
   */
  public void prepare(String name, String sql, PrepareReceiver receiver, Duration statementTimeout) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(receiver, "receiver");
    machine.prepare(name, sql, receiver, statementTimeout);
  }

  /**
   * Closes a named statement; queued like other operations, no callback. Closing a name that
   * does not exist is not an error. The session's cancel grace period serves as its statement
   * timeout, so a server that never answers cannot hold the queue behind it.
   *
   * @param name the statement name
   */
  public void closeStatement(String name) {
    Objects.requireNonNull(name, "name");
    machine.closeStatement(name);
  }

  /**
   * Asks the server to cancel the operation in flight now (CancelRequest on a separate
   * connection). Queued operations are unaffected; a no-op when nothing is in flight.
   */
  public void cancel() {
    machine.cancel();
  }

  /**
   * Starts a {@code COPY ... FROM STDIN}; the receiver's {@code pgCopyReady} asks for data.
   *
   * @param sql the COPY statement
   * @param receiver its receiver
   */
  public void copyIn(String sql, CopyInReceiver receiver) {
    copyIn(sql, receiver, null);
  }

  /**
   * Starts a {@code COPY ... FROM STDIN} with a statement timeout covering the whole copy.
   *
   * @param sql the COPY statement
   * @param receiver its receiver
   * @param statementTimeout null for none
   */
  public void copyIn(String sql, CopyInReceiver receiver, Duration statementTimeout) {
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(receiver, "receiver");
    machine.copyIn(sql, receiver, statementTimeout);
  }

  /**
   * Sends a chunk of COPY data (any boundaries); answer to {@code pgCopyReady}. No-op outside COPY IN
   * and after {@link #finishCopy}/{@link #abortCopy}. Answering each {@code pgCopyReady} with one
   * chunk keeps at most one chunk buffered; several chunks sent before the next
   * {@code pgCopyReady} are all sent, in order, and that call then waits until all are written.
   *
   * @param data the bytes (copied)
   */
  public void sendCopyData(byte[] data) {
    Objects.requireNonNull(data, "data");
    machine.sendCopyData(data.clone());
  }

  /** Ends the COPY data successfully (CopyDone). No-op outside COPY IN. */
  public void finishCopy() {
    machine.finishCopy();
  }

  /**
   * Aborts the COPY (CopyFail); the receiver gets {@code pgCopyFailed}. No-op outside COPY IN.
   *
   * @param reason the message the server reports back
   */
  public void abortCopy(String reason) {
    machine.abortCopy(reason == null ? "aborted by the client" : reason);
  }

  /**
   * Starts a {@code COPY ... TO STDOUT}.
   *
   * @param sql the COPY statement
   * @param receiver gets the data chunks, then the count or the failure
   */
  public void copyOut(String sql, CopyOutReceiver receiver) {
    copyOut(sql, receiver, null);
  }

  /**
   * Starts a {@code COPY ... TO STDOUT} with a statement timeout.
   *
   * @param sql the COPY statement
   * @param receiver its receiver
   * @param statementTimeout null for none
   */
  public void copyOut(String sql, CopyOutReceiver receiver, Duration statementTimeout) {
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(receiver, "receiver");
    machine.copyOut(sql, receiver, statementTimeout);
  }

  /**
   * Streams a query's rows in windows of at most {@code windowSize} rows. The receiver gets one
   * window per {@code pgStreamBatch}; the next only after {@link #fetchMore}. Unless
   * {@link SessionOptions#withStreamReadAhead} turned it off, the server works one window ahead
   * of the receiver once the first window is back: that window waits in the driver until
   * {@code fetchMore}, so a consumer that keeps up never waits for a round trip per window.
   *
   * @param query the query
   * @param windowSize rows per window, at least 1
   * @param receiver gets each window; call {@link #fetchMore} for the next
   */
  public void stream(ExtendedQuery query, int windowSize, StreamingResultReceiver receiver) {
    stream(query, windowSize, receiver, null);
  }

  /**
   * Streams a query with a statement timeout covering the whole stream.
   *
   * @param query the query
   * @param windowSize rows per window, at least 1
   * @param receiver its receiver
   * @param statementTimeout null for none
   */
  public void stream(ExtendedQuery query, int windowSize, StreamingResultReceiver receiver,
      Duration statementTimeout) {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(receiver, "receiver");
    if (windowSize < 1) {
      throw new IllegalArgumentException("windowSize must be at least 1, was " + windowSize);
    }
    machine.stream(query, windowSize, receiver, statementTimeout);
  }

  /** Asks for the next window of the active stream; a no-op when none is active. */
  public void fetchMore() {
    machine.fetchMore();
  }

  /** Ends the active stream early ({@code pgStreamComplete} follows); a no-op when none is active. */
  public void closeStream() {
    machine.closeStream();
  }

  /**
   * Asks for the next window of the stream that {@code owner} receives; a no-op when that stream
   * is not the active one (not started yet, or already ended). For adapters whose demand arrives
   * on other threads, where the unqualified {@link #fetchMore()} could reach a later stream.
   *
   * @param owner the receiver the stream was started with
   */
  public void fetchMore(StreamingResultReceiver owner) {
    machine.fetchMore(Objects.requireNonNull(owner, "owner"));
  }

  /**
   * Ends the stream that {@code owner} receives early ({@code pgStreamComplete} follows); a no-op
   * when that stream is not the active one.
   *
   * @param owner the receiver the stream was started with
   */
  public void closeStream(StreamingResultReceiver owner) {
    machine.closeStream(Objects.requireNonNull(owner, "owner"));
  }

  /**
   * Sends every query in one write, each with its own Sync, so one failure does not stop the rest.
   *
   * @param queries the queries
   * @param receiver gets one result or failure per index in order, then {@code pgPipelineComplete}
   */
  public void pipeline(List<? extends ExtendedQuery> queries, PipelineReceiver receiver) {
    pipeline(queries, receiver, null);
  }

  /**
   * Runs a pipeline with a statement timeout covering all of it.
   *
   * @param queries the queries
   * @param receiver its receiver
   * @param statementTimeout null for none
   */
  public void pipeline(List<? extends ExtendedQuery> queries, PipelineReceiver receiver,
      Duration statementTimeout) {
    Objects.requireNonNull(queries, "queries");
    Objects.requireNonNull(receiver, "receiver");
    machine.pipeline(List.copyOf(queries), receiver, statementTimeout);
  }

  // ---- Everyday API: readiness, futures, transactions, streams, accessors --------------------

  /**
   * Connects and completes when the session is ready (first ReadyForQuery: authenticated, every
   * startup ParameterStatus seen), with the built-in codecs and default settings.
   *
   * @param server where and how to connect
   * @param database who to log in as, and the database
   * @return the ready session, or a {@link PgConnectException} with the reason
   */
  public static CompletableFuture<Session> open(ServerConnectInfo server, DatabaseConnectInfo database) {
    return open(server, database, CodecRegistry.defaults(), SessionOptions.defaults());
  }

  /**
   * Connects and completes when the session is ready.
   *
   * @param server where and how to connect
   * @param database who to log in as, and the database
   * @param registry the codecs for parameters and results
   * @param options the session's settings
   * @return the ready session, or a {@link PgConnectException} with the reason
   */
  public static CompletableFuture<Session> open(ServerConnectInfo server, DatabaseConnectInfo database,
      CodecRegistry registry, SessionOptions options) {
    Objects.requireNonNull(server, "server");
    return open(List.of(server), database, registry, options);
  }

  /**
   * Parses a libpq connection string ({@link ConnectConfig#parse}) and opens a session.
   *
   * @param connectionString a {@code postgresql://} URI or {@code key=value} string
   * @return the ready session
   * @throws IllegalArgumentException when the string is malformed
   */
  public static CompletableFuture<Session> open(String connectionString) {
    Objects.requireNonNull(connectionString, "connectionString");
    return open(ConnectConfig.parse(connectionString));
  }

  /**
   * Opens a session on the first of the configuration's servers that accepts it and is of the
   * kind {@link ConnectConfig#targetSessionAttrs()} asks for: the servers are tried in order
   * (shuffled first with {@link ConnectConfig#loadBalanceHosts()}); when all fail the {@link PgConnectException} has the last one's reason
   * and its message names every server's.
   *
   * @param config servers, login and settings
   * @return the ready session
   */
  public static CompletableFuture<Session> open(ConnectConfig config) {
    Objects.requireNonNull(config, "config");
    return Opener.open(config.servers(), config.database(), CodecRegistry.defaults(), config.options(),
        config.sslFallback(), config.targetSessionAttrs(), config.loadBalanceHosts());
  }

  /**
   * Opens a session on the first of several servers that accepts it (tried in order).
   *
   * @param servers the servers (at least one)
   * @param database who to log in as, and the database
   * @param registry the codecs
   * @param options the session's settings
   * @return the ready session
   */
  public static CompletableFuture<Session> open(List<ServerConnectInfo> servers, DatabaseConnectInfo database,
      CodecRegistry registry, SessionOptions options) {
    Objects.requireNonNull(servers, "servers");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(options, "options");
    return Opener.open(servers, database, registry, options);
  }

  /**
   * Runs a {@link PreparedQuery}.
   *
   * @param sql one SQL statement with {@code $1, $2, ...} placeholders
   * @param params the parameter values (null is SQL NULL)
   * @return the rows; no rows (and no columns) when the statement returns no result set
   */
  public CompletableFuture<Rows> query(String sql, Object... params) {
    ResultFuture<Rows> receiver = ResultFuture.rows();
    execute(PreparedQuery.of(sql, params), receiver);
    return receiver.future();
  }

  /**
   * Runs a {@link PreparedQuery} for its row count.
   *
   * @param sql one SQL statement with {@code $1, $2, ...} placeholders
   * @param params the parameter values (null is SQL NULL)
   * @return the number of rows affected (for a SELECT: returned; 0 when the command reports none)
   */
  public CompletableFuture<Long> update(String sql, Object... params) {
    ResultFuture<Long> receiver = ResultFuture.count();
    execute(PreparedQuery.of(sql, params), receiver);
    return receiver.future();
  }

  /**
   * Runs any query; a multi-statement {@link SimpleQuery} gives one result per statement.
   *
   * @param query the query
   * @return every result, in order, once the whole query succeeded
   */
  public CompletableFuture<List<Result>> execute(Query query) {
    ResultFuture<List<Result>> receiver = ResultFuture.all();
    execute(query, receiver);
    return receiver.future();
  }

  /**
   * Prepares a named statement (for {@link NamedPreparedQuery}).
   *
   * @param name the statement name
   * @param sql the SQL
   * @return completes when the server has prepared it
   */
  public CompletableFuture<Void> prepare(String name, String sql) {
    ResultFuture.Prepare receiver = new ResultFuture.Prepare();
    prepare(name, sql, receiver);
    return receiver.future();
  }

  /**
   * Runs {@code work} inside a transaction block: BEGIN, the work, COMMIT. When the work's stage
   * fails, or the work throws, ROLLBACK is sent and the returned future fails with the work's
   * own failure. The work must run its statements on the session it is given (this one) and
   * complete its stage when they are done. Not for nesting: called inside a transaction block,
   * the server only warns about the BEGIN and the COMMIT ends the outer block (use savepoints).
   *
   * @param <T> the work's value
   * @param work the statements to run, given this session
   * @return the work's value, after COMMIT
   */
  public <T> CompletableFuture<T> inTransaction(Function<Session, ? extends CompletionStage<T>> work) {
    return Transactions.run(this, work);
  }

  /**
   * Streams a query's rows to one {@link Flow.Subscriber}, fetching windows of {@code windowSize}
   * rows as the subscriber's demand needs them (at most one window is held beyond demand).
   * The query starts at the first {@code request}; {@code cancel()} closes the stream;
   * failures arrive as {@code onError} with a {@link PgException}. Signals run on the session's
   * event loop.
   *
   * @param query the query
   * @param windowSize rows per window, at least 1
   * @return a publisher for one subscriber
   */
  public Flow.Publisher<Row> stream(ExtendedQuery query, int windowSize) {
    Objects.requireNonNull(query, "query");
    if (windowSize < 1) {
      throw new IllegalArgumentException("windowSize must be at least 1, was " + windowSize);
    }
    return new RowPublisher(machine, query, windowSize);
  }

  /**
   * Runs a {@code COPY ... FROM STDIN} with data read from {@code data} in chunks of 64 KiB on a
   * driver I/O thread (never the event loop); the next chunk is read only once the previous one
   * was written to the socket. The stream is read to its end and not closed. An
   * {@link java.io.IOException} while reading aborts the COPY and is the future's failure.
   *
   * @param sql the COPY statement
   * @param data the COPY data
   * @return the number of rows copied
   */
  public CompletableFuture<Long> copyIn(String sql, InputStream data) {
    Objects.requireNonNull(data, "data");
    CopyInPump pump = new CopyInPump(machine, data);
    copyIn(sql, pump);
    return pump.future();
  }

  /**
   * Runs a {@code COPY ... TO STDOUT}, writing the data to {@code sink} in order on a driver I/O
   * thread (never the event loop). When the sink is slower than the server, the session stops
   * reading from the socket while more than about 1 MiB waits for the sink, so memory stays
   * bounded. The future completes after the last byte was written and the sink flushed; the sink
   * is not closed. An {@link java.io.IOException} while writing cancels the COPY and is the
   * future's failure.
   *
   * @param sql the COPY statement
   * @param sink where the data goes
   * @return the number of rows copied
   */
  public CompletableFuture<Long> copyOut(String sql, OutputStream sink) {
    Objects.requireNonNull(sink, "sink");
    CopyOutPump pump = new CopyOutPump(machine, sink);
    copyOut(sql, pump);
    return pump.future();
  }

  /**
   * Closes the session like {@link #close()}.
   *
   * @return completes right after {@code pgSessionShutdown}
   */
  public CompletableFuture<Void> closeAsync() {
    machine.close();
    return machine.facts().shutdownFuture().copy();
  }

  /** @return true from the first ReadyForQuery until the session starts shutting down */
  public boolean isOpen() {
    return machine.facts().isOpen();
  }

  /**
   * The transaction status as of the last ReadyForQuery ({@code IDLE} before the first). A
   * successful future of this session completes after its ReadyForQuery, so the status is then
   * current; a failed one completes at the server's error, which may be just before it.
   *
   * @return the status
   */
  public TransactionStatus transactionStatus() {
    return machine.facts().transactionStatus();
  }

  /**
   * @param name a server parameter the server reports (server_version, TimeZone, ...)
   * @return its last reported value (ParameterStatus), or null
   */
  public String parameter(String name) {
    Objects.requireNonNull(name, "name");
    return machine.facts().parameter(name);
  }

  /**
   * The wire protocol version the session speaks: {@code "3.2"} with PostgreSQL 18 and newer,
   * {@code "3.0"} with older servers and poolers (pgsession asks for 3.2 and accepts the
   * server's downgrade).
   *
   * @return {@code "3.2"} or {@code "3.0"}, or null before authentication completed
   */
  public String protocolVersion() {
    int minor = machine.facts().protocolMinor();
    return minor < 0 ? null : "3." + minor;
  }

  /** @return the backend's process id (from BackendKeyData); 0 before it arrived */
  public int backendPid() {
    return machine.facts().backendPid();
  }

  /**
   * Runs {@code task} on the event loop once nothing is in flight or queued on this session (or
   * it shut down). For the pool: a returned session's transaction status is then current.
   */
  void whenIdle(Runnable task) {
    machine.whenIdle(task);
  }

  /** @param task run on this session's event loop */
  void runOnLoop(Runnable task) {
    machine.post(task);
  }

  /** @return completes right after {@code pgSessionShutdown}, without closing */
  CompletableFuture<Void> shutdownFuture() {
    return machine.facts().shutdownFuture().copy();
  }

  /**
   * Runs the queries as one atomic batch: written at once like {@link #pipeline}, results per
   * index to the same receiver, but with a single Sync for the whole list, so outside a
   * transaction block the list runs as one implicit transaction. If query i fails, i gets its
   * error and every later index gets {@code pgPipelineFailed} with
   * {@link ClientQueryError.PipelineAborted}; the earlier indexes' results were delivered but are
   * rolled back (inside an explicit transaction block, the block is aborted instead).
   * {@code pgPipelineComplete} comes last, as always. An empty list completes at once.
   *
   * @param queries the queries, in order
   * @param receiver gets one result or failure per index, then {@code pgPipelineComplete}
   */
  public void batch(List<? extends ExtendedQuery> queries, PipelineReceiver receiver) {
    batch(queries, receiver, null);
  }

  /**
   * Runs an atomic batch with a statement timeout covering all of it (when it fires, the query
   * running then fails and the rest are aborted).
   *
   * @param queries the queries, in order
   * @param receiver its receiver
   * @param statementTimeout null for none
   */
  public void batch(List<? extends ExtendedQuery> queries, PipelineReceiver receiver, Duration statementTimeout) {
    Objects.requireNonNull(queries, "queries");
    Objects.requireNonNull(receiver, "receiver");
    machine.batch(List.copyOf(queries), receiver, statementTimeout);
  }

  /**
   * Sends Terminate and closes the connection; unfinished operations fail with
   * {@link ClientQueryError.SessionClosed}. Idempotent; does not wait. The socket is released
   * within a bounded time even when the server stops reading (Terminate is best effort).
   *
   * <p>Called from a callback, it stops delivery at once: no further result reaches any
   * receiver, however many were already received from the server; every unfinished receiver
   * then gets {@code SessionClosed} exactly once. A simple query whose result the closing
   * callback has already been given ends there, without a failure: its terminal callback is
   * {@link ResultReceiver#pgQueryComplete} (further statements of a multi-statement query are
   * not reported).
   */
  @Override
  public void close() {
    machine.close();
  }
}
