package org.pgsession.internal.config;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds the {@link SSLContext} a connection string asks for, with JDK APIs only: the trust side
 * from a PEM root certificate file, the JDK's default trust store ({@code sslrootcert=system}),
 * or no verification at all (libpq's {@code prefer}/{@code require} without a root certificate);
 * the key side from a PEM client certificate chain and its PKCS#8 key.
 */
final class TlsContexts {
  private static final Set<PosixFilePermission> ROOT_MAY_GRANT = Set.of(PosixFilePermission.OWNER_READ,
      PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ);

  private TlsContexts() {}

  /** How the server's chain is checked. */
  sealed interface Trust {
    /** Accept any server certificate (encryption without authentication). */
    record None() implements Trust {}

    /** The JDK's default trust store. */
    record SystemDefault() implements Trust {}

    /** @param file a PEM file of trusted root certificates */
    record RootFile(Path file) implements Trust {}
  }

  /**
   * @param trust how the server chain is checked
   * @param clientCert PEM client certificate chain, or null for none
   * @param clientKey its PKCS#8 key (required with {@code clientCert})
   * @return the context
   */
  static SSLContext build(Trust trust, Path clientCert, Path clientKey) {
    try {
      KeyManager[] keys = clientCert == null ? null : keyManagers(clientCert, clientKey);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(keys, trustManagers(trust), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("cannot build the TLS context: " + e.getMessage(), e);
    }
  }

  private static TrustManager[] trustManagers(Trust trust) throws GeneralSecurityException, IOException {
    if (trust instanceof Trust.None) {
      return new TrustManager[] {new AcceptAnyServer()};
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (trust instanceof Trust.RootFile root) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      List<X509Certificate> certs = Pem.certificates("sslrootcert", root.file());
      for (int i = 0; i < certs.size(); i++) {
        ks.setCertificateEntry("root-" + i, certs.get(i));
      }
      tmf.init(ks);
    } else {
      tmf.init((KeyStore) null);
    }
    return tmf.getTrustManagers();
  }

  private static KeyManager[] keyManagers(Path certFile, Path keyFile) throws GeneralSecurityException, IOException {
    List<X509Certificate> chain = Pem.certificates("sslcert", certFile);
    checkKeyPermissions(keyFile);
    PrivateKey key = Pem.privateKey("sslkey", keyFile);
    if (!chain.get(0).getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
      throw new IllegalArgumentException("sslkey: the key in \"" + keyFile + "\" (" + key.getAlgorithm()
          + ") does not belong to the certificate in \"" + certFile + "\"");
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    char[] none = new char[0];
    ks.setKeyEntry("client", key, none, chain.toArray(new X509Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, none);
    return kmf.getKeyManagers();
  }

  /**
   * libpq's rule: the key file must not be accessible by group or others (0600), except that a
   * file owned by root may be group-readable (0640).
   */
  private static void checkKeyPermissions(Path keyFile) throws IOException {
    if (!Files.exists(keyFile)) {
      throw new IllegalArgumentException("sslkey: certificate present, but not private key file \"" + keyFile + "\"");
    }
    PosixFileAttributes attrs;
    try {
      attrs = Files.readAttributes(keyFile, PosixFileAttributes.class);
    } catch (UnsupportedOperationException e) {
      return; // not a POSIX file system (Windows): libpq checks nothing there either
    }
    Set<PosixFilePermission> perms = attrs.permissions();
    boolean ownerOnly = perms.stream().allMatch(p -> p == PosixFilePermission.OWNER_READ
        || p == PosixFilePermission.OWNER_WRITE || p == PosixFilePermission.OWNER_EXECUTE);
    boolean rootGroupRead = attrs.owner().getName().equals("root") && ROOT_MAY_GRANT.containsAll(perms);
    if (!ownerOnly && !rootGroupRead) {
      throw new IllegalArgumentException("sslkey: private key file \"" + keyFile + "\" has group or world access;"
          + " file must have permissions u=rw (0600) or less if owned by the current user, or u=rw,g=r (0640)"
          + " or less if owned by root");
    }
  }

  /** Trusts every server: libpq's behaviour for require/prefer/allow without a root certificate. */
  private static final class AcceptAnyServer extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
