package org.pgsession;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
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
   * does not exist is not an error.
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
   * Sends a chunk of COPY data (any boundaries); answer to {@code pgCopyReady}. No-op outside COPY IN.
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
   * Streams a query's rows in windows of at most {@code windowSize} rows.
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
   * {@link ClientQueryError.SessionClosed}. Idempotent; does not wait.
   */
  @Override
  public void close() {
    machine.close();
  }
}
