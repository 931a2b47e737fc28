package org.pgsession;

/** Why a session never reached the ready state. */
public sealed interface ConnectionFailureReason permits ConnectionFailureReason.ConnectionFailedDNS,
    ConnectionFailureReason.ConnectionFailedTCP, ConnectionFailureReason.ConnectionFailedTimeout,
    ConnectionFailureReason.ConnectionFailedTimerError, ConnectionFailureReason.ConnectionClosedByServer,
    ConnectionFailureReason.SSLServerRefused, ConnectionFailureReason.TLSHandshakeFailed,
    ConnectionFailureReason.TLSAuthFailed, ConnectionFailureReason.UnsupportedAuthenticationMethod,
    ConnectionFailureReason.AuthenticationMethodRejected, ConnectionFailureReason.ServerVerificationFailed,
    ConnectionFailureReason.InvalidPassword, ConnectionFailureReason.InvalidAuthorizationSpecification,
    ConnectionFailureReason.TooManyConnections, ConnectionFailureReason.InvalidDatabaseName,
    ConnectionFailureReason.ServerRejected, ConnectionFailureReason.ConnectionFailedOverloaded, ConnectionFailureReason.ChannelBindingRequired,
    ConnectionFailureReason.DirectTlsUnsupported, ConnectionFailureReason.ServerRoleMismatch, ProtocolViolation {

  /** The host name could not be resolved. */
  record ConnectionFailedDNS() implements ConnectionFailureReason {}
  /** No TCP connection could be made to any resolved address. */
  record ConnectionFailedTCP() implements ConnectionFailureReason {}
  /** TCP connect plus TLS handshake took longer than the connection timeout. */
  record ConnectionFailedTimeout() implements ConnectionFailureReason {}
  /**
   * The driver's bounded pool for blocking connect work (host name look-ups, SCRAM key
   * derivation) was full: the attempt fails at once instead of waiting behind an unbounded queue.
   */
  record ConnectionFailedOverloaded() implements ConnectionFailureReason {}
  /** The connection timer could not be set. */
  record ConnectionFailedTimerError() implements ConnectionFailureReason {}
  /** The server closed the connection before the session was ready. */
  record ConnectionClosedByServer() implements ConnectionFailureReason {}
  /** TLS was required and the server answered {@code N}. */
  record SSLServerRefused() implements ConnectionFailureReason {}
  /** The TLS handshake failed for a reason other than certificate checks. */
  record TLSHandshakeFailed() implements ConnectionFailureReason {}
  /** The server certificate chain or host name was rejected. */
  record TLSAuthFailed() implements ConnectionFailureReason {}
  /** The server asked for an authentication method this driver does not support. */
  record UnsupportedAuthenticationMethod() implements ConnectionFailureReason {}
  /** The server asked for a method the {@link AuthRequirement} forbids. */
  record AuthenticationMethodRejected() implements ConnectionFailureReason {}
  /** SCRAM: the server's proof was wrong, or its salt or iteration count unusable. */
  record ServerVerificationFailed() implements ConnectionFailureReason {}
  /** SQLSTATE 28P01. @param response the server's error */
  record InvalidPassword(ErrorResponseMessage response) implements ConnectionFailureReason {}
  /** SQLSTATE 28000. @param response the server's error */
  record InvalidAuthorizationSpecification(ErrorResponseMessage response)
      implements ConnectionFailureReason {}
  /** SQLSTATE 53300. @param response the server's error */
  record TooManyConnections(ErrorResponseMessage response) implements ConnectionFailureReason {}
  /** SQLSTATE 3D000. @param response the server's error */
  record InvalidDatabaseName(ErrorResponseMessage response) implements ConnectionFailureReason {}
  /** Any other error during startup. @param response the server's error */
  record ServerRejected(ErrorResponseMessage response) implements ConnectionFailureReason {}

  /**
   * {@link ChannelBinding#REQUIRE} could not be met: no TLS, the server did not offer
   * SCRAM-SHA-256-PLUS, asked for a password, or accepted the login without SASL. Nothing
   * secret was sent.
   */
  record ChannelBindingRequired() implements ConnectionFailureReason {}

  /**
   * {@link SslNegotiation#DIRECT} failed: the server did not answer a TLS handshake from the first
   * byte or did not select ALPN {@code postgresql} (direct TLS needs PostgreSQL 17 or newer).
   */
  record DirectTlsUnsupported() implements ConnectionFailureReason {}

  /**
   * The session became ready, but the server is not of the kind {@code target_session_attrs}
   * asks for (e.g. a standby for {@code read-write}), or its kind could not be checked; the
   * session was closed and the next server tried.
   *
   * @param wanted what the configuration asked for
   * @param server what the server turned out to be, or why it could not be checked
   */
  record ServerRoleMismatch(TargetSessionAttrs wanted, String server) implements ConnectionFailureReason {}
}
