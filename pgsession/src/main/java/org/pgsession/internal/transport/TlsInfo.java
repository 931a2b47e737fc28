package org.pgsession.internal.transport;

/**
 * What the TLS layer gives the authentication exchange.
 *
 * @param tls the connection is encrypted
 * @param serverEndPoint tls-server-end-point binding data, or null (no TLS, or the certificate's
 *     signature algorithm has no usable hash)
 */
public record TlsInfo(boolean tls, byte[] serverEndPoint) {
  /** No TLS. */
  public static final TlsInfo NONE = new TlsInfo(false, null);
}
