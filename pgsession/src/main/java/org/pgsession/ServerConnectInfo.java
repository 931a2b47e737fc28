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
 * @param channelBinding SCRAM channel binding policy (default {@link ChannelBinding#PREFER})
 * @param sslNegotiation how TLS starts (default {@link SslNegotiation#POSTGRES});
 *     {@link SslNegotiation#DIRECT} needs an {@link SslMode.Required} mode
 */
public record ServerConnectInfo(String host, int port, SslMode sslMode,
    AuthRequirement authRequirement, Duration connectionTimeout, ChannelBinding channelBinding,
    SslNegotiation sslNegotiation) {

  /** Validates the components. */
  public ServerConnectInfo {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(sslMode, "sslMode");
    Objects.requireNonNull(authRequirement, "authRequirement");
    Objects.requireNonNull(channelBinding, "channelBinding");
    Objects.requireNonNull(sslNegotiation, "sslNegotiation");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, was " + port);
    }
    if (connectionTimeout != null && (connectionTimeout.isNegative() || connectionTimeout.isZero())) {
      throw new IllegalArgumentException("connectionTimeout must be positive, was " + connectionTimeout);
    }
    if (sslNegotiation == SslNegotiation.DIRECT && !(sslMode instanceof SslMode.Required)) {
      // libpq's rule: direct TLS cannot fall back to plaintext, so a weaker mode makes no sense.
      throw new IllegalArgumentException("direct TLS (sslnegotiation=direct) needs SslMode.required or verifyFull,"
          + " was " + sslMode.getClass().getSimpleName());
    }
  }

  /**
   * The connect info with channel binding {@link ChannelBinding#PREFER} and TLS negotiated with
   * an SSLRequest.
   *
   * @param host host name or address
   * @param port TCP port
   * @param sslMode TLS policy
   * @param authRequirement which authentication methods to accept
   * @param connectionTimeout connect+handshake bound, null for none
   */
  public ServerConnectInfo(String host, int port, SslMode sslMode, AuthRequirement authRequirement,
      Duration connectionTimeout) {
    this(host, port, sslMode, authRequirement, connectionTimeout, ChannelBinding.PREFER, SslNegotiation.POSTGRES);
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
    return new ServerConnectInfo(host, port, mode, authRequirement, connectionTimeout, channelBinding,
        sslNegotiation);
  }

  /**
   * @param requirement the auth policy
   * @return a copy with that policy
   */
  public ServerConnectInfo withAuthRequirement(AuthRequirement requirement) {
    return new ServerConnectInfo(host, port, sslMode, requirement, connectionTimeout, channelBinding,
        sslNegotiation);
  }

  /**
   * @param timeout connect+handshake bound, null for none
   * @return a copy with that timeout
   */
  public ServerConnectInfo withConnectionTimeout(Duration timeout) {
    return new ServerConnectInfo(host, port, sslMode, authRequirement, timeout, channelBinding, sslNegotiation);
  }

  /**
   * @param binding the SCRAM channel binding policy; {@link ChannelBinding#REQUIRE} with
   *     {@link SslMode#disabled()} fails every connection before it is made
   * @return a copy with that policy
   */
  public ServerConnectInfo withChannelBinding(ChannelBinding binding) {
    return new ServerConnectInfo(host, port, sslMode, authRequirement, connectionTimeout, binding, sslNegotiation);
  }

  /**
   * @param negotiation how TLS starts; {@link SslNegotiation#DIRECT} needs an
   *     {@link SslMode.Required} mode (set it first)
   * @return a copy with that negotiation
   * @throws IllegalArgumentException direct TLS with a mode weaker than required
   */
  public ServerConnectInfo withSslNegotiation(SslNegotiation negotiation) {
    return new ServerConnectInfo(host, port, sslMode, authRequirement, connectionTimeout, channelBinding,
        negotiation);
  }
}
