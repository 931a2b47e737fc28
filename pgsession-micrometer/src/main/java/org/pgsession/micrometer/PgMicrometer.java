package org.pgsession.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.Objects;
import org.pgsession.SessionObserver;

/**
 * Micrometer metrics for pgsession: a {@link SessionObserver} that records into a
 * {@link MeterRegistry}. Set it on a pool (its sessions report to it too) or on sessions:
 *
 * <pre>{@code
 * SessionObserver metrics = PgMicrometer.observer(registry, Tags.of("pool", "orders"));
 * PgPool pool = PgPool.create(config, PoolOptions.defaults().withObserver(metrics));
 * }</pre>
 *
 * <p>Meters (every one carries the given tags):
 * <ul>
 *   <li>{@value #OPERATIONS} timer, tags {@code kind} (query, prepare, stream, copy_in, copy_out,
 *       pipeline, batch), {@code outcome} (success, error) and {@code error} (the SQLSTATE, the
 *       client error's name, or {@code none});</li>
 *   <li>{@value #ROWS} distribution summary of the rows each operation reported, tag {@code kind};</li>
 *   <li>{@value #CONNECTS} timer, tags {@code outcome} and {@code error} (the failure reason's name);</li>
 *   <li>{@value #CANCELS} counter of CancelRequests sent;</li>
 *   <li>{@value #POOL_ACQUIRE} timer of borrowers' waits, tag {@code outcome};</li>
 *   <li>pool gauges {@value #POOL_SESSIONS} (tag {@code state}: idle, in_use),
 *       {@value #POOL_WAITING}, and function counters {@value #POOL_CREATED},
 *       {@value #POOL_CLOSED}, {@value #POOL_TIMEOUTS}, read from {@code PgPool.stats()}.</li>
 * </ul>
 * No SQL text goes into a tag (it would make the number of series unbounded).
 */
public final class PgMicrometer {
  /** Timer of operations. */
  public static final String OPERATIONS = "pgsession.operations";
  /** Distribution summary of rows per operation. */
  public static final String ROWS = "pgsession.operation.rows";
  /** Timer of connects. */
  public static final String CONNECTS = "pgsession.connects";
  /** Counter of CancelRequests. */
  public static final String CANCELS = "pgsession.cancels";
  /** Timer of pool acquires. */
  public static final String POOL_ACQUIRE = "pgsession.pool.acquire";
  /** Gauge of pooled sessions by state. */
  public static final String POOL_SESSIONS = "pgsession.pool.sessions";
  /** Gauge of waiting borrowers. */
  public static final String POOL_WAITING = "pgsession.pool.waiting";
  /** Function counter of sessions opened by the pool. */
  public static final String POOL_CREATED = "pgsession.pool.created";
  /** Function counter of sessions the pool closed or found dead. */
  public static final String POOL_CLOSED = "pgsession.pool.closed";
  /** Function counter of acquire timeouts. */
  public static final String POOL_TIMEOUTS = "pgsession.pool.timeouts";

  private PgMicrometer() {}

  /**
   * @param registry where the meters go
   * @return an observer recording into it, with no extra tags
   */
  public static SessionObserver observer(MeterRegistry registry) {
    return observer(registry, Tags.empty());
  }

  /**
   * @param registry where the meters go
   * @param tags added to every meter (e.g. the pool's name)
   * @return an observer recording into it
   */
  public static SessionObserver observer(MeterRegistry registry, Iterable<Tag> tags) {
    return new MicrometerObserver(Objects.requireNonNull(registry, "registry"), Tags.of(tags));
  }
}
