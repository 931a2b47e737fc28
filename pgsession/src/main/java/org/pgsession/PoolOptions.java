package org.pgsession;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link PgPool}: immutable; each {@code with...} returns a copy.
 * Defaults: at most 10 sessions, no minimum of idle ones, acquire timeout 30 s, maximum lifetime
 * 30 min, idle timeout 10 min.
 */
public final class PoolOptions {
  private static final PoolOptions DEFAULTS = new PoolOptions(10, 0, Duration.ofSeconds(30), Duration.ofMinutes(30),
      Duration.ofMinutes(10), null);

  private final int maxSize;
  private final int minIdle;
  private final Duration acquireTimeout;
  private final Duration maxLifetime;
  private final Duration idleTimeout;
  private final SessionObserver observer;

  private PoolOptions(int maxSize, int minIdle, Duration acquireTimeout, Duration maxLifetime,
      Duration idleTimeout, SessionObserver observer) {
    this.maxSize = maxSize;
    this.minIdle = minIdle;
    this.acquireTimeout = acquireTimeout;
    this.maxLifetime = maxLifetime;
    this.idleTimeout = idleTimeout;
    this.observer = observer;
  }

  /** @return max 10, min idle 0, acquire timeout 30 s, max lifetime 30 min, idle timeout 10 min */
  public static PoolOptions defaults() {
    return DEFAULTS;
  }

  /**
   * @param n the most sessions the pool holds (borrowed plus idle), at least 1
   * @return a copy with that bound
   */
  public PoolOptions withMaxSize(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("maxSize must be at least 1, was " + n);
    }
    return new PoolOptions(n, Math.min(minIdle, n), acquireTimeout, maxLifetime, idleTimeout, observer);
  }

  /**
   * @param n idle sessions the pool keeps open ahead of demand (0 to maxSize)
   * @return a copy with that minimum
   */
  public PoolOptions withMinIdle(int n) {
    if (n < 0 || n > maxSize) {
      throw new IllegalArgumentException("minIdle must be between 0 and maxSize (" + maxSize + "), was " + n);
    }
    return new PoolOptions(maxSize, n, acquireTimeout, maxLifetime, idleTimeout, observer);
  }

  /**
   * @param d how long a borrower waits for a session before failing with
   *     {@link ClientQueryError.PoolTimedOut} (positive)
   * @return a copy with that timeout
   */
  public PoolOptions withAcquireTimeout(Duration d) {
    return new PoolOptions(maxSize, minIdle, positive(d, "acquireTimeout"), maxLifetime, idleTimeout, observer);
  }

  /**
   * @param d sessions older than this are closed when they are next idle (positive)
   * @return a copy with that lifetime
   */
  public PoolOptions withMaxLifetime(Duration d) {
    return new PoolOptions(maxSize, minIdle, acquireTimeout, positive(d, "maxLifetime"), idleTimeout, observer);
  }

  /**
   * @param d idle sessions beyond {@code minIdle} are closed after being idle this long (positive)
   * @return a copy with that timeout
   */
  public PoolOptions withIdleTimeout(Duration d) {
    return new PoolOptions(maxSize, minIdle, acquireTimeout, maxLifetime, positive(d, "idleTimeout"), observer);
  }

  /** @return the most sessions the pool holds */
  public int maxSize() {
    return maxSize;
  }

  /** @return idle sessions kept open ahead of demand */
  public int minIdle() {
    return minIdle;
  }

  /** @return how long a borrower waits */
  public Duration acquireTimeout() {
    return acquireTimeout;
  }

  /** @return the maximum age of a session */
  public Duration maxLifetime() {
    return maxLifetime;
  }

  /** @return how long a session beyond minIdle may stay idle */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  private static Duration positive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + d);
    }
    return d;
  }

  /**
   * @param poolObserver receives the pool's acquire events and {@link SessionObserver#poolCreated}
   *     (for gauges); the pool's sessions report to it too unless their {@link SessionOptions}
   *     name an observer of their own. null for none (the default)
   * @return a copy with that observer
   */
  public PoolOptions withObserver(SessionObserver poolObserver) {
    return new PoolOptions(maxSize, minIdle, acquireTimeout, maxLifetime, idleTimeout, poolObserver);
  }

  /** @return the observer, or null for none */
  public SessionObserver observer() {
    return observer;
  }

  @Override
  public String toString() {
    return "PoolOptions[maxSize=" + maxSize + ", minIdle=" + minIdle + ", acquireTimeout=" + acquireTimeout
        + ", maxLifetime=" + maxLifetime + ", idleTimeout=" + idleTimeout + "]";
  }
}
