package org.pgsession;

/**
 * SCRAM channel binding policy (libpq's {@code channel_binding}): whether the SCRAM exchange is
 * tied to the TLS connection with {@code SCRAM-SHA-256-PLUS} and {@code tls-server-end-point}
 * (RFC 5929), so a man in the middle holding another certificate cannot relay the login.
 */
public enum ChannelBinding {
  /** Never use channel binding ({@code SCRAM-SHA-256} only). */
  DISABLE,
  /**
   * Use {@code SCRAM-SHA-256-PLUS} when the connection is TLS and the server offers it;
   * otherwise log in without it (the default).
   */
  PREFER,
  /**
   * Only log in with {@code SCRAM-SHA-256-PLUS} over TLS: a plaintext connection, a server that
   * does not offer -PLUS, a password request, or AuthenticationOk without SASL fails the
   * connection with {@link ConnectionFailureReason.ChannelBindingRequired}.
   */
  REQUIRE
}
