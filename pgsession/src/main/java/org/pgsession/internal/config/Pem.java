package org.pgsession.internal.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads PEM files with JDK APIs only: X.509 certificates ({@code BEGIN CERTIFICATE}) and
 * unencrypted PKCS#8 private keys ({@code BEGIN PRIVATE KEY}). Every failure is an
 * {@link IllegalArgumentException} naming the connection parameter and the file.
 */
final class Pem {
  private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"};

  private Pem() {}

  /** One {@code -----BEGIN type-----} ... {@code -----END type-----} block, decoded. */
  record Block(String type, byte[] der) {}

  /**
   * @param key the parameter naming the file (for messages)
   * @param file a PEM file with one or more certificates
   * @return the certificates, in file order
   */
  static List<X509Certificate> certificates(String key, Path file) {
    List<X509Certificate> certs = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      for (Block b : blocks(key, file)) {
        if (b.type.equals("CERTIFICATE") || b.type.equals("X509 CERTIFICATE")
            || b.type.equals("TRUSTED CERTIFICATE")) {
          certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der)));
        }
      }
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException(key + ": cannot parse certificate file \"" + file + "\": " + e.getMessage(), e);
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException(key + ": no PEM certificate (BEGIN CERTIFICATE) in \"" + file + "\"");
    }
    return certs;
  }

  /**
   * @param key the parameter naming the file (for messages)
   * @param file a PEM file holding an unencrypted PKCS#8 key
   * @return the key
   */
  static PrivateKey privateKey(String key, Path file) {
    for (Block b : blocks(key, file)) {
      switch (b.type) {
        case "PRIVATE KEY" -> {
          return pkcs8(key, file, b.der);
        }
        case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException(key + ": \"" + file
            + "\" holds an encrypted key; pgsession needs an unencrypted PKCS#8 key (sslpassword is not supported)");
        case "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY" -> throw new IllegalArgumentException(key
            + ": \"" + file + "\" holds a " + b.type + " (PKCS#1/SEC1); convert it to PKCS#8 with"
            + " openssl pkcs8 -topk8 -nocrypt");
        default -> { }
      }
    }
    throw new IllegalArgumentException(key + ": no PEM private key (BEGIN PRIVATE KEY) in \"" + file + "\"");
  }

  private static PrivateKey pkcs8(String key, Path file, byte[] der) {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException | RuntimeException e) {
        // not this algorithm: try the next
      }
    }
    throw new IllegalArgumentException(key + ": cannot parse the PKCS#8 private key in \"" + file + "\"");
  }

  /** @return the file's PEM blocks; text around them is ignored */
  static List<Block> blocks(String key, Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(key + ": file \"" + file + "\" does not exist", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(key + ": cannot read \"" + file + "\": " + e, e);
    }
    List<Block> out = new ArrayList<>();
    int from = 0;
    while (true) {
      int begin = text.indexOf("-----BEGIN ", from);
      if (begin < 0) {
        return out;
      }
      int typeEnd = text.indexOf("-----", begin + 11);
      if (typeEnd < 0) {
        throw malformed(key, file);
      }
      String type = text.substring(begin + 11, typeEnd);
      String endMarker = "-----END " + type + "-----";
      int end = text.indexOf(endMarker, typeEnd + 5);
      if (end < 0) {
        throw malformed(key, file);
      }
      String body = text.substring(typeEnd + 5, end);
      if (body.indexOf(':') >= 0) {
        throw new IllegalArgumentException(key + ": \"" + file + "\" has PEM headers (an encrypted key?)"
            + "; pgsession needs an unencrypted PKCS#8 key");
      }
      try {
        out.add(new Block(type, Base64.getMimeDecoder().decode(body)));
      } catch (IllegalArgumentException e) {
        throw malformed(key, file);
      }
      from = end + endMarker.length();
    }
  }

  private static IllegalArgumentException malformed(String key, Path file) {
    return new IllegalArgumentException(key + ": malformed PEM in \"" + file + "\"");
  }
}
