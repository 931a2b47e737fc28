package org.pgsession.internal.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Locale;

/**
 * {@code tls-server-end-point} channel-binding data (RFC 5929 section 4.1): the hash of the
 * server's DER certificate, with the hash of the certificate's signature algorithm, except that
 * MD5 and SHA-1 become SHA-256. PostgreSQL computes the same on its side
 * ({@code be_tls_get_certificate_hash}).
 */
public final class TlsServerEndPoint {
  private TlsServerEndPoint() {}

  /**
   * @param certificate the server's (leaf) certificate
   * @return the binding data, or null when the signature algorithm names no usable hash (e.g.
   *     Ed25519: RFC 5929 defines nothing for it, and PostgreSQL refuses it too)
   */
  public static byte[] of(X509Certificate certificate) {
    String digest = digestFor(certificate.getSigAlgName());
    if (digest == null) {
      return null;
    }
    try {
      return MessageDigest.getInstance(digest).digest(certificate.getEncoded());
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      return null;
    }
  }

  /**
   * @param signatureAlgorithm JCA name such as {@code SHA256withRSA} or {@code SHA384withECDSA}
   * @return the JCA digest name, or null
   */
  static String digestFor(String signatureAlgorithm) {
    String upper = signatureAlgorithm.toUpperCase(Locale.ROOT);
    int with = upper.indexOf("WITH");
    if (with <= 0) {
      return null; // Ed25519, Ed448, RSASSA-PSS (hash in parameters): not supported
    }
    return switch (upper.substring(0, with)) {
      case "MD5", "SHA1", "SHA256", "SHA-256" -> "SHA-256";
      case "SHA224", "SHA-224" -> "SHA-224";
      case "SHA384", "SHA-384" -> "SHA-384";
      case "SHA512", "SHA-512" -> "SHA-512";
      default -> null;
    };
  }
}
