package org.pgsession;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the server is and how to reach it.
 *
 * @param host host name or IP address (resolved without blocking the event loop)
 * @param port TCP port, 1..65535
 * @param sslMode TLS policy
 * @param authRequirement which authentication methods to accept
 * @param connectionTimeout bound on TCP connect plus TLS handshake; null for none
 */
public record ServerConnectInfo(String host, int port, SslMode sslMode,
    AuthRequirement authRequirement, Duration connectionTimeout) {

  /** Validates the components. */
  public ServerConnectInfo {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(sslMode, "sslMode");
    Objects.requireNonNull(authRequirement, "authRequirement");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, was " + port);
    }
    if (connectionTimeout != null && (connectionTimeout.isNegative() || connectionTimeout.isZero())) {
      throw new IllegalArgumentException("connectionTimeout must be positive, was " + connectionTimeout);
    }
  }

  /**
   * A server with TLS disabled, SCRAM required and no connection timeout.
   *
   * @param host host name or address
   * @param port TCP port
   * @return the connect info
   */
  public static ServerConnectInfo of(String host, int port) {
    return new ServerConnectInfo(host, port, SslMode.disabled(), AuthRequirement.REQUIRE_SCRAM, null);
  }

  /**
   * @param mode the TLS policy
   * @return a copy with that policy
   */
  public ServerConnectInfo withSslMode(SslMode mode) {
    return new ServerConnectInfo(host, port, mode, authRequirement, connectionTimeout);
  }

  /**
   * @param requirement the auth policy
   * @return a copy with that policy
   */
  public ServerConnectInfo withAuthRequirement(AuthRequirement requirement) {
    return new ServerConnectInfo(host, port, sslMode, requirement, connectionTimeout);
  }

  /**
   * @param timeout connect+handshake bound, null for none
   * @return a copy with that timeout
   */
  public ServerConnectInfo withConnectionTimeout(Duration timeout) {
    return new ServerConnectInfo(host, port, sslMode, authRequirement, timeout);
  }
}
