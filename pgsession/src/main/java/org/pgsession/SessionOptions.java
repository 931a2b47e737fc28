package org.pgsession;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Per-session settings beyond where and as whom to connect. Immutable: every {@code with...}
 * method returns a new instance.
 *
 * <pre>{@code
 * SessionOptions options = SessionOptions.defaults()
 *     .withPipelining(true)
 *     .withStartupParameter("application_name", "billing");
 * }</pre>
 */
public final class SessionOptions {
  /** Statements the automatic statement cache keeps by default. */
  public static final int DEFAULT_STATEMENT_CACHE_SIZE = 256;
  /** Default time a cancelled statement may take to end before the session is closed. */
  public static final Duration DEFAULT_CANCEL_GRACE_PERIOD = Duration.ofSeconds(5);
  /** Default largest backend message accepted (64 MiB); larger frames fail fast. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 << 20;

  private static final SessionOptions DEFAULTS = new SessionOptions(DEFAULT_STATEMENT_CACHE_SIZE, false,
      Map.of(), DEFAULT_CANCEL_GRACE_PERIOD, null, DEFAULT_MAX_MESSAGE_SIZE, null, true);

  private final int statementCacheSize;
  private final boolean pipelining;
  private final Map<String, String> startupParameters;
  private final Duration cancelGracePeriod;
  private final Duration keepAlive;
  private final int maxMessageSize;
  private final SessionObserver observer;
  private final boolean streamReadAhead;

  private SessionOptions(int statementCacheSize, boolean pipelining, Map<String, String> startupParameters,
      Duration cancelGracePeriod, Duration keepAlive, int maxMessageSize, SessionObserver observer,
      boolean streamReadAhead) {
    this.statementCacheSize = statementCacheSize;
    this.pipelining = pipelining;
    this.startupParameters = startupParameters;
    this.cancelGracePeriod = cancelGracePeriod;
    this.keepAlive = keepAlive;
    this.maxMessageSize = maxMessageSize;
    this.observer = observer;
    this.streamReadAhead = streamReadAhead;
  }

  /**
   * @return a statement cache of 256 statements, pipelining off, no extra startup parameters,
   *     a 5 s cancel grace period, OS keepalive only, 64 MiB message limit, stream read-ahead on
   */
  public static SessionOptions defaults() {
    return DEFAULTS;
  }

  /**
   * @param statements how many statements the automatic cache keeps (LRU); 0: the driver never
   *     creates named statements itself (for poolers that cannot keep them)
   * @return new options
   * @throws IllegalArgumentException if negative
   */
  public SessionOptions withStatementCacheSize(int statements) {
    if (statements < 0) {
      throw new IllegalArgumentException("statement cache size must be >= 0: " + statements);
    }
    return new SessionOptions(statements, pipelining, startupParameters, cancelGracePeriod, keepAlive,
        maxMessageSize, observer, streamReadAhead);
  }

  /**
   * @param enabled whether queued {@code execute}, {@code prepare} and {@code closeStatement}
   *     calls are written without waiting for the previous operation's ReadyForQuery
   * @return new options
   */
  public SessionOptions withPipelining(boolean enabled) {
    return new SessionOptions(statementCacheSize, enabled, startupParameters, cancelGracePeriod, keepAlive,
        maxMessageSize, observer, streamReadAhead);
  }

  /**
   * Adds (or replaces) a parameter of the StartupMessage, such as {@code application_name},
   * {@code search_path} or {@code options}.
   *
   * @param name the parameter name; not {@code user}, {@code database}, {@code client_encoding},
   *     {@code DateStyle} or {@code IntervalStyle}, which the driver sets itself
   * @param value its value
   * @return new options
   * @throws IllegalArgumentException for a reserved or empty name, or a NUL character
   */
  public SessionOptions withStartupParameter(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (name.isEmpty() || name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("startup parameter names and values must be non-empty and free of NUL: "
          + name);
    }
    switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "user", "database", "client_encoding", "datestyle", "intervalstyle", "replication" ->
          throw new IllegalArgumentException("startup parameter " + name + " is set by the driver itself");
      default -> { }
    }
    Map<String, String> params = new LinkedHashMap<>(startupParameters);
    params.put(name, value);
    return new SessionOptions(statementCacheSize, pipelining, Collections.unmodifiableMap(params),
        cancelGracePeriod, keepAlive, maxMessageSize, observer, streamReadAhead);
  }

  /**
   * @param grace how long an operation whose statement timeout expired may take to end after the
   *     CancelRequest before the session is closed and the operation fails with
   *     {@link ClientQueryError.StatementTimedOut}
   * @return new options
   * @throws IllegalArgumentException if negative
   */
  public SessionOptions withCancelGracePeriod(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("cancel grace period must not be negative: " + grace);
    }
    return new SessionOptions(statementCacheSize, pipelining, startupParameters, grace, keepAlive, maxMessageSize,
        observer, streamReadAhead);
  }

  /**
   * @param idle after how long without inbound bytes the session checks that the server is still
   *     there (TCP keepalive with that idle time and a matching TCP user timeout where the
   *     platform allows it; elsewhere an empty simple query when the session is idle, bounded
   *     like a statement timeout of {@code idle}); the session is closed when the check fails.
   *     null: the operating system's keepalive only
   * @return new options
   * @throws IllegalArgumentException if zero or negative
   */
  public SessionOptions withKeepAlive(Duration idle) {
    if (idle != null && (idle.isZero() || idle.isNegative())) {
      throw new IllegalArgumentException("keepalive idle time must be positive: " + idle);
    }
    return new SessionOptions(statementCacheSize, pipelining, startupParameters, cancelGracePeriod, idle,
        maxMessageSize, observer, streamReadAhead);
  }

  /**
   * @param bytes the largest backend message accepted; a larger frame is a protocol violation as
   *     soon as its header arrives (nothing of that size is buffered)
   * @return new options
   * @throws IllegalArgumentException if below 1 KiB or above 1 GiB
   */
  public SessionOptions withMaxMessageSize(int bytes) {
    if (bytes < 1024 || bytes > (1 << 30)) {
      throw new IllegalArgumentException("max message size must be between 1 KiB and 1 GiB: " + bytes);
    }
    return new SessionOptions(statementCacheSize, pipelining, startupParameters, cancelGracePeriod, keepAlive,
        bytes, observer, streamReadAhead);
  }

  /** @return how many statements the automatic cache keeps; 0 when it is off */
  public int statementCacheSize() {
    return statementCacheSize;
  }

  /** @return whether pipelining is on */
  public boolean pipelining() {
    return pipelining;
  }

  /** @return the extra startup parameters, in the order given (unmodifiable) */
  public Map<String, String> startupParameters() {
    return startupParameters;
  }

  /** @return the cancel grace period */
  public Duration cancelGracePeriod() {
    return cancelGracePeriod;
  }

  /** @return the keepalive idle time, or null for the operating system's keepalive only */
  public Duration keepAlive() {
    return keepAlive;
  }

  /** @return the largest backend message accepted, in bytes */
  public int maxMessageSize() {
    return maxMessageSize;
  }

  /**
   * @param sessionObserver receives connect, operation and cancel events of the session (see
   *     {@link SessionObserver}); null for none (the default)
   * @return new options
   */
  public SessionOptions withObserver(SessionObserver sessionObserver) {
    return new SessionOptions(statementCacheSize, pipelining, startupParameters, cancelGracePeriod, keepAlive,
        maxMessageSize, sessionObserver, streamReadAhead);
  }

  /**
   * Whether a callback {@link Session#stream stream} keeps the server one window ahead of its
   * receiver (on by default). With it on, once the first window has come back, the next
   * window's Execute is queued at the server before the current window ends, so the backend
   * never idles for a round trip per window; the window read ahead is held by the driver until
   * {@code fetchMore()} and dropped by {@code closeStream()}. The cost: the server computes at
   * most one window the receiver may never ask for, and the driver holds at most one window
   * more in memory. Off: each window is computed only after {@code fetchMore()}. The
   * {@code Flow.Publisher} stream never reads ahead (it fetches as demand needs).
   *
   * @param enabled whether streams read one window ahead
   * @return new options
   */
  public SessionOptions withStreamReadAhead(boolean enabled) {
    return new SessionOptions(statementCacheSize, pipelining, startupParameters, cancelGracePeriod, keepAlive,
        maxMessageSize, observer, enabled);
  }

  /** @return whether callback streams read one window ahead */
  public boolean streamReadAhead() {
    return streamReadAhead;
  }

  /** @return the observer, or null for none */
  public SessionObserver observer() {
    return observer;
  }

  @Override
  public String toString() {
    return "SessionOptions[statementCacheSize=" + statementCacheSize + ", pipelining=" + pipelining
        + ", startupParameters=" + startupParameters + ", cancelGracePeriod=" + cancelGracePeriod
        + ", keepAlive=" + keepAlive + ", maxMessageSize=" + maxMessageSize + ", streamReadAhead=" + streamReadAhead + "]";
  }
}
