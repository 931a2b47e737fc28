package org.pgsession.r2dbc;

import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.IsolationLevel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.pgsession.ConnectConfig;
import org.pgsession.ResultSet;
import org.pgsession.Session;
import org.pgsession.SimpleQuery;
import reactor.core.publisher.Mono;

/**
 * Creates {@link PgsessionConnection}s: each {@link #create()} opens one pgsession {@link Session}
 * with {@link Session#open(ConnectConfig)}, applies the statement and lock wait timeouts, and
 * reads the session's default isolation level.
 *
 * <pre>{@code
 * ConnectionFactory factory = ConnectionFactories.get("r2dbc:pgsession://app:secret@localhost:5432/appdb");
 * // or in code:
 * ConnectionFactory factory = PgsessionConnectionFactory.of(ConnectConfig.parse("postgresql://app@localhost/appdb"));
 * }</pre>
 */
public final class PgsessionConnectionFactory implements ConnectionFactory {
  private final ConnectConfig config;
  private final Duration statementTimeout;
  private final Duration lockWaitTimeout;

  private PgsessionConnectionFactory(ConnectConfig config, Duration statementTimeout, Duration lockWaitTimeout) {
    this.config = Args.notNull(config, "config");
    this.statementTimeout = statementTimeout;
    this.lockWaitTimeout = lockWaitTimeout;
  }

  /**
   * @param config where and how to connect
   * @return a factory for that configuration
   */
  public static PgsessionConnectionFactory of(ConnectConfig config) {
    return new PgsessionConnectionFactory(config, null, null);
  }

  /**
   * @param config where and how to connect
   * @param statementTimeout {@code statement_timeout} set on each new connection, or null for the server's
   * @param lockWaitTimeout {@code lock_timeout} set on each new connection, or null for the server's
   * @return a factory for that configuration
   */
  public static PgsessionConnectionFactory of(ConnectConfig config, Duration statementTimeout,
      Duration lockWaitTimeout) {
    return new PgsessionConnectionFactory(config, statementTimeout, lockWaitTimeout);
  }

  /** @return the configuration connections are opened with */
  public ConnectConfig config() {
    return config;
  }

  /** Opens a connection; cancelling the subscription closes a session that opens afterwards. */
  @Override
  public Mono<PgsessionConnection> create() {
    return Mono.defer(() -> {
      CompletableFuture<Session> opening = Session.open(config);
      return Mono.fromFuture(opening, true)
          .doOnCancel(() -> opening.thenAccept(Session::close))
          .onErrorMap(e -> Errors.translate(e, null))
          .flatMap(this::initialize);
    });
  }

  private Mono<PgsessionConnection> initialize(Session session) {
    StringBuilder sql = new StringBuilder();
    if (statementTimeout != null) {
      sql.append("SET statement_timeout = ").append(statementTimeout.toMillis()).append("; ");
    }
    if (lockWaitTimeout != null) {
      sql.append("SET lock_timeout = ").append(lockWaitTimeout.toMillis()).append("; ");
    }
    sql.append("SHOW default_transaction_isolation");
    String text = sql.toString();
    return Mono.fromFuture(() -> session.execute(new SimpleQuery(text)), true)
        .map(results -> new PgsessionConnection(session, isolation(results)))
        .onErrorResume(e -> Mono.fromFuture(session.closeAsync(), true)
            .then(Mono.error(Errors.translate(e, text))));
  }

  private static IsolationLevel isolation(List<org.pgsession.Result> results) {
    if (results.get(results.size() - 1) instanceof ResultSet rs && rs.rows().size() == 1) {
      return IsolationLevel.valueOf(rs.rows().get(0).getString(0).toUpperCase(java.util.Locale.ROOT));
    }
    return IsolationLevel.READ_COMMITTED;
  }

  @Override
  public ConnectionFactoryMetadata getMetadata() {
    return PgsessionConnectionFactoryMetadata.INSTANCE;
  }

  @Override
  public String toString() {
    return "PgsessionConnectionFactory[" + config + "]";
  }
}
