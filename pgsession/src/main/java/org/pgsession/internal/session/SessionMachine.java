package org.pgsession.internal.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.pgsession.ClientQueryError;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.Notification;
import org.pgsession.ParameterStatus;
import org.pgsession.ProtocolViolation;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SessionStatusNotify;
import org.pgsession.internal.protocol.BackendMessage;
import org.pgsession.internal.protocol.BackendMessage.BackendKeyData;
import org.pgsession.internal.protocol.BackendMessage.NoticeResponse;
import org.pgsession.internal.protocol.BackendMessage.NotificationResponse;
import org.pgsession.internal.protocol.BackendMessage.ReadyForQuery;
import org.pgsession.internal.protocol.FrontendMessages;
import org.pgsession.internal.protocol.ProtocolViolationException;
import org.pgsession.internal.protocol.ScramExchange;
import org.pgsession.internal.transport.Connector;
import org.pgsession.internal.transport.EventLoops;
import org.pgsession.internal.transport.Transport;
import org.pgsession.types.CodecRegistry;

/**
 * The session state machine. Everything here runs on the session's event loop; public
 * {@link Session} methods only post tasks to it. Every way a session ends goes through
 * {@link #shutdown}, which ends every unfinished operation exactly once and fires
 * {@code pgSessionShutdown} last.
 */
public final class SessionMachine implements OperationHost, Connector.Listener, Authenticator.Host {

  /** How long Terminate may wait behind unflushed bytes before the socket is aborted. */
  static final java.time.Duration CLOSE_DEADLINE = java.time.Duration.ofSeconds(2);

  /** Lifecycle phases; operations are accepted only in LOGGED_IN. */
  enum Phase { UNOPENED, CONNECTED, LOGGED_IN, CLOSED }

  private final Session session;
  private final SessionStatusNotify notify;
  private final ServerConnectInfo server;
  private final DatabaseConnectInfo database;
  private final CodecRegistry registry;
  private final org.pgsession.SessionOptions options;
  private final EventLoop loop;
  private final ArrayDeque<Operation> queue = new ArrayDeque<>();
  /** Operations submitted from any thread, moved to {@link #queue} by one task for many of them. */
  private final java.util.Queue<Operation> inbox = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicBoolean inboxTaskPosted =
      new java.util.concurrent.atomic.AtomicBoolean();
  /** Replaced once when a pooler refuses protocol 3.2 and the session reconnects with 3.0. */
  private Connector connector;
  /** The protocol minor version the StartupMessage asks for: 3.2 first, 3.0 on the retry. */
  private int requestedMinor = Authenticator.REQUESTED_MINOR_VERSION;
  /** Set while the 3.0 retry's new connection comes up (its events are not new session events). */
  private boolean retrying;
  private final StatementTimer statementTimer;
  private final Cancels cancels;
  private final StatementDescriptions descriptions;
  private final StatementCache statementCache;
  private final SessionFacts facts = new SessionFacts();
  private final WrittenOperations written = new WrittenOperations();
  private final java.util.Set<String> copyInStatements = new java.util.HashSet<>();
  private final org.pgsession.SessionObserver observer;
  private final ConnectObservation connectObservation;
  /** SQL of statements prepared while observed, for the text of named executions (any thread). */
  private final Map<String, String> preparedSql = new java.util.concurrent.ConcurrentHashMap<>();

  private Phase phase = Phase.UNOPENED;
  private boolean ready;
  /** close() was called from a callback: nothing more is delivered, the shutdown follows. */
  private boolean closing;
  private boolean driving;
  private Transport transport;
  private Authenticator authenticator;
  private BackendKeyData keyData;
  private ScheduledFuture<?> connectTimer;
  private IdleProbe idleProbe;

  /**
   * @param session the public facade passed to callbacks
   * @param server where to connect
   * @param database who to log in as
   * @param notify lifecycle receiver
   * @param registry codecs
   * @param options session settings
   */
  public SessionMachine(Session session, ServerConnectInfo server, DatabaseConnectInfo database,
      SessionStatusNotify notify, CodecRegistry registry, org.pgsession.SessionOptions options) {
    this(session, server, database, notify, registry, options, EventLoops.next());
  }

  /** Same, on a given event loop (tests drive the machine over a fake {@link Transport}). */
  SessionMachine(Session session, ServerConnectInfo server, DatabaseConnectInfo database,
      SessionStatusNotify notify, CodecRegistry registry, org.pgsession.SessionOptions options, EventLoop loop) {
    this.session = session;
    this.server = server;
    this.database = database;
    this.notify = notify;
    this.registry = registry;
    this.options = options;
    this.loop = loop;
    this.connector = newConnector();
    this.statementTimer = new StatementTimer(this);
    this.cancels = new Cancels(this);
    this.descriptions = new StatementDescriptions(registry);
    this.statementCache = new StatementCache(registry, options.statementCacheSize());
    this.observer = options.observer();
    this.connectObservation = new ConnectObservation(observer, server, database);
  }

  private Connector newConnector() {
    return new Connector(server, loop, this, options.maxMessageSize(), options.pipelining(), options.keepAlive());
  }

  /** Starts connecting (asynchronously). */
  public void start() {
    loop.execute(() -> {
      if (server.channelBinding() == org.pgsession.ChannelBinding.REQUIRE
          && server.sslMode() instanceof org.pgsession.SslMode.Disabled) {
        // Binding needs TLS: refuse before a byte goes out (libpq does the same).
        shutdown(new ConnectionFailureReason.ChannelBindingRequired(), null);
        return;
      }
      if (server.connectionTimeout() != null) {
        try {
          connectTimer = org.pgsession.internal.transport.LiveResources.timer(loop.schedule(this::onConnectTimeout,
              server.connectionTimeout().toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
          shutdown(new ConnectionFailureReason.ConnectionFailedTimerError(), null);
          return;
        }
      }
      connectObservation.connectStarted();
      connector.connect();
    });
  }

  /** @param task work for the event loop, run after anything already posted */
  public void post(Runnable task) {
    loop.execute(task);
  }

  // ---- operations -------------------------------------------------------------------------

  /**
   * Queues an operation, or fails it when the session cannot take it. Submissions go through an
   * inbox drained by one posted task, so a burst of calls costs one task and one write/flush
   * pass; the task is posted before any task posted after this call, which keeps call order
   * relative to cancel(), close() and the rest.
   *
   * @param op it
   */
  void submit(Operation op) {
    inbox.add(op);
    if (inboxTaskPosted.compareAndSet(false, true)) {
      loop.execute(this::drainInbox);
    }
  }

  private void drainInbox() {
    inboxTaskPosted.set(false);
    Operation op;
    while ((op = inbox.poll()) != null) {
      if (phase == Phase.LOGGED_IN) {
        queue.add(op);
      } else {
        op.fail(this, refusal(phase));
      }
    }
    drive();
  }

  /** @return what an operation submitted in {@code p} (other than LOGGED_IN) fails with */
  private static ClientQueryError refusal(Phase p) {
    return switch (p) {
      case UNOPENED -> new ClientQueryError.SessionNeverOpened();
      case CONNECTED -> new ClientQueryError.SessionNotAuthenticated();
      case LOGGED_IN, CLOSED -> new ClientQueryError.SessionClosed();
    };
  }

  /**
   * @param query the query
   * @param receiver its receiver
   * @param timeout statement timeout, or null
   */
  public void execute(org.pgsession.Query query, org.pgsession.ResultReceiver receiver, java.time.Duration timeout) {
    if (query instanceof org.pgsession.SimpleQuery sq) {
      submit(observed(new SimpleQueryOp(sq, receiver, timeout), org.pgsession.OperationKind.QUERY, query));
    } else {
      submit(observed(new ExtendedQueryOp((org.pgsession.ExtendedQuery) query, receiver, timeout),
          org.pgsession.OperationKind.QUERY, query));
    }
  }

  /**
   * @param name statement name
   * @param sql one statement
   * @param receiver its receiver
   * @param timeout statement timeout, or null
   */
  public void prepare(String name, String sql, org.pgsession.PrepareReceiver receiver, java.time.Duration timeout) {
    PrepareOp op = new PrepareOp(name, sql, receiver, timeout);
    if (Observation.wanted(observer)) {
      preparedSql.put(name, sql);
      op.observation = Observation.begin(observer, observedOperation(org.pgsession.OperationKind.PREPARE, sql, 1));
    }
    submit(op);
  }

  /** @param name the statement to close (queued; no callback) */
  public void closeStatement(String name) {
    preparedSql.remove(name);
    submit(new CloseStatementOp(name, options.cancelGracePeriod()));
  }

  // ---- COPY, streaming and pipelines -------------------------------------------------------

  /** @param sql COPY statement @param receiver receiver @param timeout or null */
  public void copyIn(String sql, org.pgsession.CopyInReceiver receiver, java.time.Duration timeout) {
    submit(observed(new CopyInOp(sql, receiver, timeout), org.pgsession.OperationKind.COPY_IN, sql));
  }

  /** @param data bytes for the COPY IN in flight; no-op otherwise */
  public void sendCopyData(byte[] data) {
    loop.execute(() -> {
      if (written.head() instanceof CopyInOp c && phase == Phase.LOGGED_IN) {
        c.sendData(this, data);
      }
    });
  }

  /** CopyDone for the COPY IN in flight; no-op otherwise. */
  public void finishCopy() {
    loop.execute(() -> {
      if (written.head() instanceof CopyInOp c && phase == Phase.LOGGED_IN) {
        c.finish(this);
      }
    });
  }

  /** @param reason CopyFail message for the COPY IN in flight; no-op otherwise */
  public void abortCopy(String reason) {
    loop.execute(() -> {
      if (written.head() instanceof CopyInOp c && phase == Phase.LOGGED_IN) {
        c.abort(this, reason);
      }
    });
  }

  /** @param sql COPY statement @param receiver receiver @param timeout or null */
  public void copyOut(String sql, org.pgsession.CopyOutReceiver receiver, java.time.Duration timeout) {
    submit(observed(new CopyOutOp(sql, receiver, timeout), org.pgsession.OperationKind.COPY_OUT, sql));
  }

  /** @param query q @param window rows @param receiver r @param timeout or null */
  public void stream(org.pgsession.ExtendedQuery query, int window, org.pgsession.StreamingResultReceiver receiver,
      java.time.Duration timeout) {
    stream(query, window, receiver, timeout, options.streamReadAhead());
  }

  /**
   * @param query q @param window rows @param receiver r @param timeout or null
   * @param readAhead whether the server may run one window ahead of the receiver
   */
  public void stream(org.pgsession.ExtendedQuery query, int window, org.pgsession.StreamingResultReceiver receiver,
      java.time.Duration timeout, boolean readAhead) {
    submit(observed(new StreamOp(query, window, receiver, timeout, readAhead), org.pgsession.OperationKind.STREAM,
        query));
  }

  /** Next window of the stream in flight; no-op otherwise. */
  public void fetchMore() {
    loop.execute(() -> {
      if (written.head() instanceof StreamOp s && phase == Phase.LOGGED_IN) {
        s.fetchMore(this);
      }
    });
  }

  /** Ends the stream in flight early; no-op otherwise. */
  public void closeStream() {
    loop.execute(() -> {
      if (written.head() instanceof StreamOp s && phase == Phase.LOGGED_IN) {
        s.close(this);
      }
    });
  }

  /** @param queries q @param receiver r @param timeout or null */
  public void pipeline(java.util.List<? extends org.pgsession.ExtendedQuery> queries,
      org.pgsession.PipelineReceiver receiver, java.time.Duration timeout) {
    submit(observed(new PipelineOp(queries, receiver, timeout), org.pgsession.OperationKind.PIPELINE, queries));
  }

  /** @param queries q @param receiver r @param timeout or null */
  public void batch(java.util.List<? extends org.pgsession.ExtendedQuery> queries,
      org.pgsession.PipelineReceiver receiver, java.time.Duration timeout) {
    submit(observed(new BatchOp(queries, receiver, timeout), org.pgsession.OperationKind.BATCH, queries));
  }

  // ---- observation (SessionObserver, JFR) ---------------------------------------------------

  /**
   * Starts the observation of {@code op} when anybody observes; else one null/flag check.
   *
   * @param what a Query, an SQL string, or a list of queries (its SQL text, built only if observed)
   */
  private Operation observed(Operation op, org.pgsession.OperationKind kind, Object what) {
    if (Observation.wanted(observer)) {
      int statements = what instanceof java.util.List<?> list ? list.size() : 1;
      op.observation = Observation.begin(observer, observedOperation(kind, Observation.sqlOf(what, preparedSql), statements));
    }
    return op;
  }

  private org.pgsession.ObservedOperation observedOperation(org.pgsession.OperationKind kind, String sql,
      int statements) {
    return new org.pgsession.ObservedOperation(kind, sql, statements, server, database);
  }

  /** @return the connect and cancel observation of this session */
  ConnectObservation connectObservation() {
    return connectObservation;
  }

  /**
   * Cancels the operations in flight (CancelRequest on a separate connection); no-op when idle.
   * With pipelining, nothing is written from this call until the cancel connection closed, so
   * the request can only hit an operation written before the call.
   */
  public void cancel() {
    if (options.pipelining()) {
      cancels.called();
      loop.execute(() -> {
        cancelInFlight();
        cancels.callHandled();
        drive();
      });
    } else {
      loop.execute(this::cancelInFlight);
    }
  }

  /** Sends a CancelRequest for the operations in flight now, if any. */
  void cancelInFlight() {
    Operation head = written.head();
    if (head instanceof CopyInOp c && phase == Phase.LOGGED_IN && c.cancelLocally(this)) {
      return; // the server would not act on a CancelRequest while it waits for COPY data
    }
    if (head != null && keyData != null && phase == Phase.LOGGED_IN) {
      cancels.request(transport, keyData);
    }
  }

  /**
   * Writes queued operations: one at a time without pipelining (the next starts when the
   * previous completed); with pipelining, pipelinable ones behind each other while the window
   * has room and the channel is writable.
   */
  void drive() {
    if (driving) {
      return; // a write inside start() made the channel writable again; the outer loop goes on
    }
    driving = true;
    boolean corked = transport != null;
    if (corked) {
      transport.cork(); // everything written in this pass leaves in one flush
    }
    try {
      while (ready && phase == Phase.LOGGED_IN && !closing && cancels.idle() && !queue.isEmpty()) {
        Operation next = queue.peek();
        boolean alone = written.isEmpty();
        boolean pipelinable = options.pipelining() && next.pipelinable(this);
        if (!alone && !(pipelinable && written.hasRoomBehind() && transport.isWritable()
            && !written.head().holdsWritesBehind())) {
          return;
        }
        startNext(alone, !pipelinable);
      }
    } finally {
      driving = false;
      if (corked) {
        transport.uncork();
      }
    }
    if (ready && written.isEmpty() && queue.isEmpty()) {
      facts.runIdleWaiters();
    }
  }

  /** Writes the first queued operation; it joins the window before start so a shutdown ends it. */
  private void startNext(boolean alone, boolean barrier) {
    Operation next = queue.poll();
    next.holdFailures(!alone); // a failure before writing must not overtake earlier callbacks
    written.add(next, barrier);
    long before = transport.bytesSent();
    boolean sent = startOrFail(next, before);
    if (phase == Phase.CLOSED) {
      return; // the shutdown ended it
    }
    if (sent) {
      next.holdFailures(false);
      written.wrote(next, transport.bytesSent() - before);
      if (alone) {
        statementTimer.started(next);
      }
    } else if (alone) {
      written.finishHead(this); // failed before sending anything; its failure is delivered
    } else {
      written.unsent(next); // its held failure is delivered when the ones before it completed
    }
  }


  /**
   * Starts an operation; whatever {@code start} throws fails that operation instead of leaving
   * it in flight forever. Nothing written: a DataError and the session goes on; something
   * already written: the server's answers would be taken for the next operation's, so the
   * session closes.
   */
  private boolean startOrFail(Operation op, long bytesBefore) {
    try {
      return op.start(this);
    } catch (ProtocolViolationException e) {
      onProtocolViolation(e);
      return false;
    } catch (RuntimeException e) {
      op.fail(this, new ClientQueryError.DataError("cannot send " + op.getClass().getSimpleName() + ": " + e));
      if (transport.bytesSent() != bytesBefore) {
        shutdown(null, null);
      }
      return false;
    }
  }

  /** @return whether nothing is in flight or queued */
  boolean idle() {
    return written.isEmpty() && queue.isEmpty() && phase == Phase.LOGGED_IN && !closing;
  }

  /** Queues the keepalive probe: an empty query, bounded by its statement timeout. @param timeout it */
  void probe(java.time.Duration timeout) {
    queue.add(new SimpleQueryOp(new org.pgsession.SimpleQuery(""), IGNORED, timeout));
    drive();
  }

  /** The keepalive probe's receiver: a failure that matters closes the session anyway. */
  private static final org.pgsession.ResultReceiver IGNORED = new org.pgsession.ResultReceiver() {
    @Override
    public void pgQueryResult(Session s, org.pgsession.Result r) { }

    @Override
    public void pgQueryFailed(Session s, org.pgsession.Query q, org.pgsession.QueryFailure f) { }
  };

  /** @return the operation the server answers now, or null */
  Operation inFlight() {
    return written.head();
  }

  /** @return the most bytes written and not yet answered at once so far (a test probe) */
  long mostUnansweredBytes() {
    return written.mostUnansweredBytes();
  }

  /** @return the cancellation key, or null before BackendKeyData */
  BackendKeyData keyData() {
    return keyData;
  }

  /** @return the connection settings */
  ServerConnectInfo server() {
    return server;
  }

  /** Starts a user close: Terminate, close, fail everything unfinished. */
  public void close() {
    if (loop.inEventLoop()) {
      closing = true; // from a callback: results already buffered are not delivered any more
    }
    loop.execute(() -> shutdown(null, null));
  }

  // ---- connection events ------------------------------------------------------------------

  @Override
  public void onTcpConnected(Transport connected) {
    if (phase == Phase.CLOSED) {
      connected.close();
      return;
    }
    transport = connected;
    if (retrying) {
      return; // the same session's second connection: pgSessionConnected was already reported
    }
    phase = Phase.CONNECTED;
    Callbacks.run("pgSessionConnected", () -> notify.pgSessionConnected(session));
  }

  @Override
  public void onSecured() {
    if (phase != Phase.CONNECTED) {
      return;
    }
    retrying = false;
    java.util.Set<String> protocolOptions = new java.util.HashSet<>();
    options.startupParameters().keySet().stream().filter(k -> k.startsWith("_pq_.")).forEach(protocolOptions::add);
    authenticator = new Authenticator(this, database, server.authRequirement(),
        ScramExchange.DEFAULT_MAX_ITERATIONS, protocolOptions, requestedMinor, server.channelBinding(),
        connector.tlsInfo());
    Map<String, String> params = new LinkedHashMap<>();
    params.put("user", database.user());
    params.put("database", database.database());
    params.put("client_encoding", "UTF8");
    // Text-format decoding relies on these output styles.
    params.put("DateStyle", "ISO, MDY");
    params.put("IntervalStyle", "postgres");
    params.put("application_name", "pgsession");
    params.putAll(options.startupParameters());
    ByteBuf buf = transport.alloc().buffer();
    FrontendMessages.startupMessage(buf, 3, requestedMinor, params);
    transport.send(buf);
  }

  @Override
  public void onConnectFailed(ConnectionFailureReason reason) {
    shutdown(reason, null);
  }

  @Override
  public void onMessage(BackendMessage message) {
    if (phase == Phase.CLOSED || closing) {
      return;
    }
    if (idleProbe != null) {
      idleProbe.received();
    }
    try {
      dispatch(message);
    } catch (ProtocolViolationException e) {
      onProtocolViolation(e);
    }
  }

  private void dispatch(BackendMessage message) {
    if (message instanceof NoticeResponse n) {
      Callbacks.run("pgNotice", () -> notify.pgNotice(session, n.notice()));
    } else if (message instanceof BackendMessage.ParameterStatus ps) {
      ParameterStatus status = new ParameterStatus(ps.name(), ps.value());
      facts.parameter(ps.name(), ps.value());
      Callbacks.run("pgParameterStatus", () -> notify.pgParameterStatus(session, status));
    } else if (message instanceof NotificationResponse nr) {
      Notification n = new Notification(nr.channel(), nr.payload(), nr.processId());
      Callbacks.run("pgNotification", () -> notify.pgNotification(session, n));
    } else if (phase == Phase.CONNECTED && authenticator != null) {
      authenticator.onMessage(message);
    } else if (phase == Phase.LOGGED_IN && !ready) {
      onBeforeReady(message);
    } else if (phase == Phase.LOGGED_IN) {
      onOperationMessage(message);
    } else {
      throw new ProtocolViolationException("unexpected " + message.getClass().getSimpleName()
          + " before the startup exchange");
    }
  }

  /** Between AuthenticationOk and the first ReadyForQuery. */
  private void onBeforeReady(BackendMessage message) {
    if (message instanceof BackendKeyData key) {
      keyData = key;
      facts.backendPid(key.processId());
    } else if (message instanceof ReadyForQuery rfq) {
      ready = true;
      facts.readyForQuery(rfq.status());
      facts.ready();
      cancelConnectTimer();
      connectObservation.connectFinished(null, true);
      if (options.keepAlive() != null && !transport.osChecksLiveness()) {
        idleProbe = new IdleProbe(this, options.keepAlive());
        idleProbe.start();
      }
      Callbacks.run("pgTransactionStatus", () -> notify.pgTransactionStatus(session, rfq.status()));
      drive();
    } else if (message instanceof BackendMessage.ErrorResponse err) {
      shutdown(StartupFailures.reasonFor(err.error()), null);
    } else {
      // NegotiateProtocolVersion included: it answers the StartupMessage, before authentication.
      throw new ProtocolViolationException("unexpected " + message.getClass().getSimpleName()
          + " after AuthenticationOk");
    }
  }

  private void onOperationMessage(BackendMessage message) {
    Operation op = written.head();
    if (message instanceof BackendMessage.ErrorResponse err && isFatal(err.error())) {
      onServerTerminated(op, err.error());
      return;
    }
    if (op == null) {
      throw new ProtocolViolationException("unexpected " + message.getClass().getSimpleName()
          + " while no operation is in flight");
    }
    if (message instanceof ReadyForQuery rfq) {
      facts.readyForQuery(rfq.status());
      boolean done = op.onReadyForQuery(this);
      if (done) {
        written.finishHead(this);
        statementTimer.finished(op);
      }
      Callbacks.run("pgTransactionStatus", () -> notify.pgTransactionStatus(session, rfq.status()));
      drive();
    } else {
      if (op.observation != null) {
        op.observation.saw(message);
      }
      op.onMessage(message, this);
    }
  }

  private static boolean isFatal(org.pgsession.ErrorResponseMessage error) {
    return "FATAL".equals(error.severity()) || "PANIC".equals(error.severity());
  }

  /**
   * FATAL or PANIC on a ready session (administrator command, idle session timeout, ...): the
   * backend is gone. The operation in flight gets the error, pgSessionTerminated follows, and
   * the session closes at once rather than wait for the server to close the socket.
   */
  private void onServerTerminated(Operation op, org.pgsession.ErrorResponseMessage error) {
    if (op != null) {
      op.fail(this, error);
    }
    Callbacks.run("pgSessionTerminated", () -> notify.pgSessionTerminated(session, error));
    shutdown(new ConnectionFailureReason.ConnectionClosedByServer(), null);
  }

  @Override
  public void retryWithProtocol30() {
    // Once: the second connection asks for 3.0, which every server and pooler speaks.
    requestedMinor = 0;
    retrying = true;
    authenticator = null;
    Connector old = connector;
    Transport oldTransport = transport;
    connector = newConnector();
    old.abandon();
    if (oldTransport != null) {
      oldTransport.close();
    }
    connector.connect();
  }

  @Override
  public void authenticated() {
    phase = Phase.LOGGED_IN;
    facts.protocolMinor(authenticator.negotiatedMinor());
    authenticator = null;
    Callbacks.run("pgSessionAuthenticated", () -> notify.pgSessionAuthenticated(session));
  }

  @Override
  public void failConnection(ConnectionFailureReason reason) {
    shutdown(reason, null);
  }

  @Override
  public void send(ByteBuf buf) {
    if (transport == null || phase == Phase.CLOSED) {
      buf.release();
      return;
    }
    transport.send(buf);
  }

  @Override
  public void offLoop(Runnable blocking, Runnable then) {
    try {
      EventLoops.keyDerivation().execute(() -> {
        blocking.run();
        loop.execute(then);
      });
    } catch (RejectedExecutionException overloaded) {
      shutdown(new ConnectionFailureReason.ConnectionFailedOverloaded(), null);
    }
  }

  @Override
  public boolean alive() {
    return phase != Phase.CLOSED;
  }

  @Override
  public void onProtocolViolation(ProtocolViolationException violation) {
    ProtocolViolation pv = new ProtocolViolation(violation.getMessage());
    shutdown(pv, pv);
  }

  @Override
  public void onPeerClosed() {
    shutdown(new ConnectionFailureReason.ConnectionClosedByServer(), null);
  }

  @Override
  public void onWritabilityChanged(boolean writable) {
    Operation op = written.head();
    if (writable && op instanceof FlowControlled fc) {
      fc.onWritable(this);
    }
    if (writable && phase == Phase.LOGGED_IN) {
      drive(); // pipelined writes wait for writability
    }
  }

  private void onConnectTimeout() {
    if (!ready) {
      shutdown(new ConnectionFailureReason.ConnectionFailedTimeout(), null);
    }
  }

  private void cancelConnectTimer() {
    if (connectTimer != null) {
      connectTimer.cancel(false);
      connectTimer = null;
    }
  }

  /**
   * The one way a session ends.
   *
   * @param reason why the connection failed, reported only if the session never became ready;
   *     null for a user close
   * @param inFlightFailure what the operation in flight gets (null: SessionClosed)
   */
  void shutdown(ConnectionFailureReason reason, ClientQueryError inFlightFailure) {
    if (phase == Phase.CLOSED) {
      return;
    }
    boolean wasReady = ready;
    Phase before = phase;
    phase = Phase.CLOSED;
    facts.closing();
    cancelConnectTimer();
    if (idleProbe != null) {
      idleProbe.stop();
    }
    connector.abandon();
    statementTimer.cancel();
    if (transport != null) {
      if (wasReady && reason == null) {
        ByteBuf terminate = transport.alloc().buffer(5);
        FrontendMessages.terminate(terminate);
        transport.sendAndClose(terminate, CLOSE_DEADLINE);
      } else {
        transport.close();
      }
    }
    if (!wasReady) {
      connectObservation.connectFinished(reason, false);
    }
    if (!wasReady && reason != null) {
      Callbacks.run("pgSessionConnectionFailed", () -> notify.pgSessionConnectionFailed(session, reason));
    }
    boolean closedFromCallback = closing;
    written.clear(this, op -> {
      if (closedFromCallback && inFlightFailure == null && op.answeredSoFar()) {
        op.endAnswered(this); // closed from a callback after its results: complete, not a failure
      } else {
        op.fail(this, inFlightFailure != null ? inFlightFailure : new ClientQueryError.SessionClosed());
      }
    }, op -> op.fail(this, new ClientQueryError.SessionClosed()));
    Operation queued;
    while ((queued = queue.poll()) != null) {
      queued.fail(this, new ClientQueryError.SessionClosed());
    }
    // Submitted from another thread before the end, not yet taken in: they fail now, before
    // pgSessionShutdown, with what they would have got in the phase they were submitted in.
    while ((queued = inbox.poll()) != null) {
      queued.fail(this, refusal(before));
    }
    Callbacks.run("pgSessionShutdown", () -> notify.pgSessionShutdown(session));
    facts.shutDown();
  }

  // ---- accessors and hooks of the convenience API ------------------------------------------

  /** @return what the session accessors report */
  public SessionFacts facts() {
    return facts;
  }

  /**
   * Runs {@code task} on the event loop once nothing is in flight or queued, as of the last
   * ReadyForQuery (so {@code transactionStatus()} is current), or once the session shut down.
   *
   * @param task the task
   */
  public void whenIdle(Runnable task) {
    loop.execute(() -> {
      facts.addIdleWaiter(task);
      if (phase == Phase.CLOSED || (ready && written.isEmpty() && queue.isEmpty())) {
        facts.runIdleWaiters();
      }
    });
  }

  /**
   * Stops or resumes reading from the connection (backpressure for a slow COPY OUT sink). The
   * wanted state is read when the task runs on the loop, so racing pause/resume requests from
   * two threads always end in the latest state.
   *
   * @param paused read on the loop: true to stop reading
   */
  public void pauseReading(java.util.function.BooleanSupplier paused) {
    loop.execute(() -> {
      if (transport != null && phase != Phase.CLOSED) {
        transport.pauseReading(paused.getAsBoolean());
      }
    });
  }

  /**
   * Next window of the stream in flight, if its receiver is {@code owner} (a stream that ended
   * meanwhile never passes the request on to a later one).
   *
   * @param owner the stream's receiver
   */
  public void fetchMore(org.pgsession.StreamingResultReceiver owner) {
    loop.execute(() -> {
      if (written.head() instanceof StreamOp s && s.owns(owner) && phase == Phase.LOGGED_IN) {
        s.fetchMore(this);
      }
    });
  }

  /** @param owner ends the stream in flight early if its receiver is this one */
  public void closeStream(org.pgsession.StreamingResultReceiver owner) {
    loop.execute(() -> {
      if (written.head() instanceof StreamOp s && s.owns(owner) && phase == Phase.LOGGED_IN) {
        s.close(this);
      }
    });
  }

  /**
   * Cancels the operation in flight now; only on the event loop, from a callback of that
   * operation (so it is the one in flight).
   */
  public void cancelFromCallback() {
    if (!loop.inEventLoop()) {
      throw new IllegalStateException("not on the session's event loop");
    }
    cancelInFlight();
  }

  /** @return whether the calling thread is this session's event loop */
  public boolean inLoop() {
    return loop.inEventLoop();
  }

  // ---- OperationHost ------------------------------------------------------------------------

  @Override
  public Session session() {
    return session;
  }

  /** @return the session's settings */
  public org.pgsession.SessionOptions options() {
    return options;
  }

  @Override
  public CodecRegistry registry() {
    return registry;
  }

  @Override
  public StatementDescriptions descriptions() {
    return descriptions;
  }

  @Override
  public StatementCache statementCache() {
    return statementCache;
  }

  @Override
  public org.pgsession.TransactionStatus transactionStatus() {
    return facts.transactionStatus();
  }

  @Override
  public Transport transport() {
    return transport;
  }

  @Override
  public java.util.Set<String> copyInStatements() {
    return copyInStatements;
  }

  @Override
  public boolean writtenBehindHead() {
    return written.size() > 1;
  }
}
