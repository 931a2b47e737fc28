package org.pgsession;

/**
 * How TLS is started (libpq's {@code sslnegotiation}).
 */
public enum SslNegotiation {
  /** Send an SSLRequest first and start TLS when the server answers 'S' (the default; every server). */
  POSTGRES,
  /**
   * TLS from the first byte with ALPN {@code postgresql}, no SSLRequest round trip. PostgreSQL 17
   * or newer only; older servers fail the connection with
   * {@link ConnectionFailureReason.DirectTlsUnsupported}. Needs an {@link SslMode.Required} mode
   * (require, verify-ca or verify-full).
   */
  DIRECT
}
