package org.pgsession.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgsession.SslMode;
import org.pgsession.testkit.TestPemFiles;

/** sslmode and the certificate files, without a server (the handshakes are in it/config). */
class SslSettingsTest {
  @TempDir
  static Path pki;
  private static TestPemFiles files;
  @TempDir
  Path home;
  private final Map<String, String> env = new HashMap<>();

  @BeforeAll
  static void generate() {
    files = TestPemFiles.write(pki, "certuser");
  }

  private SslMode mode(String s) {
    return ConfigResolver.resolve(s, new ConfigSources(env, home, "osuser")).servers().get(0).sslMode();
  }

  @Test
  void eachSslmodeMapsOntoAnSslMode() {
    assertThat(mode("sslmode=disable")).isInstanceOf(SslMode.Disabled.class);
    // allow: plaintext first, TLS (not verifying, like require) as the fallback
    assertThat(mode("sslmode=allow")).isInstanceOf(SslMode.Disabled.class);
    assertThat(ConfigResolver.resolve("sslmode=allow", new ConfigSources(env, home, "osuser")).sslFallback())
        .isInstanceOfSatisfying(SslMode.Required.class, r -> assertThat(r.verifyHostname()).isFalse());
    assertThat(ConfigResolver.resolve("sslmode=prefer", new ConfigSources(env, home, "osuser")).sslFallback())
        .isNull();
    assertThat(mode("sslmode=prefer")).isInstanceOf(SslMode.Preferred.class);
    assertThat(mode("sslmode=require")).isInstanceOfSatisfying(
        SslMode.Required.class, r -> assertThat(r.verifyHostname()).isFalse());
    String root = " sslrootcert=" + files.caCertificate();
    assertThat(mode("sslmode=verify-ca" + root)).isInstanceOfSatisfying(SslMode.Required.class,
        r -> assertThat(r.verifyHostname()).isFalse());
    assertThat(mode("sslmode=verify-full" + root)).isInstanceOfSatisfying(SslMode.Required.class,
        r -> assertThat(r.verifyHostname()).isTrue());
    env.put("PGSSLMODE", "require");
    assertThat(mode("")).isInstanceOf(SslMode.Required.class);
  }

  @Test
  void badSslmodeNamesTheKey() {
    assertThatThrownBy(() -> mode("sslmode=verify")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sslmode").hasMessageContaining("verify");
    env.put("PGSSLMODE", "strict");
    assertThatThrownBy(() -> mode("")).hasMessageContaining("PGSSLMODE");
  }

  @Test
  void verifyingModesNeedARootCertificate() {
    assertThatThrownBy(() -> mode("sslmode=verify-ca")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sslrootcert").hasMessageContaining("root.crt");
    assertThatThrownBy(() -> mode("sslmode=verify-full")).hasMessageContaining("sslrootcert");
    assertThatThrownBy(() -> mode("sslmode=require sslrootcert=" + pki.resolve("nope.crt")))
        .hasMessageContaining("sslrootcert").hasMessageContaining("nope.crt");
  }

  @Test
  void theDefaultRootCertificateIsUsedWhenPresent() throws IOException {
    Files.createDirectories(home.resolve(".postgresql"));
    Files.copy(files.caCertificate(), home.resolve(".postgresql/root.crt"));
    assertThat(mode("sslmode=verify-full")).isInstanceOf(SslMode.Required.class);
  }

  @Test
  void systemRootsMeanVerifyFull() {
    assertThat(mode("sslrootcert=system")).isInstanceOfSatisfying(SslMode.Required.class,
        r -> assertThat(r.verifyHostname()).isTrue());
    assertThat(mode("sslrootcert=system sslmode=verify-full")).isInstanceOf(SslMode.Required.class);
    assertThatThrownBy(() -> mode("sslrootcert=system sslmode=require")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sslmode").hasMessageContaining("system");
    assertThatThrownBy(() -> mode("sslrootcert=system sslmode=verify-ca")).hasMessageContaining("verify-full");
  }

  @Test
  void clientCertificateAndKeyAreLoaded() {
    String client = "sslmode=require sslcert=" + files.clientCertificate() + " sslkey=" + files.clientKey();
    assertThat(mode(client)).isInstanceOf(SslMode.Required.class);
  }

  @Test
  void missingOrUnreadableClientFilesNameTheKeyAndFile() throws IOException {
    assertThatThrownBy(() -> mode("sslcert=" + pki.resolve("none.crt"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sslcert").hasMessageContaining("none.crt");
    assertThatThrownBy(() -> mode("sslcert=" + files.clientCertificate() + " sslkey=" + pki.resolve("none.key")))
        .hasMessageContaining("sslkey").hasMessageContaining("none.key");
    Path garbage = Files.writeString(home.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\n!!!\n");
    assertThatThrownBy(() -> mode("sslrootcert=" + garbage)).hasMessageContaining("sslrootcert")
        .hasMessageContaining("garbage.pem");
    Path notPem = Files.writeString(home.resolve("plain.txt"), "hello");
    assertThatThrownBy(() -> mode("sslrootcert=" + notPem)).hasMessageContaining("sslrootcert")
        .hasMessageContaining("plain.txt");
    // A certificate where the key should be.
    Path keyIsCert = Files.copy(files.clientCertificate(), home.resolve("cert-as.key"));
    Files.setPosixFilePermissions(keyIsCert, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> mode("sslcert=" + files.clientCertificate() + " sslkey=" + keyIsCert))
        .hasMessageContaining("sslkey").hasMessageContaining("cert-as.key");
  }

  @Test
  void pkcs1KeysAreRefusedWithAHint() throws IOException {
    Path pkcs1 = home.resolve("rsa.key");
    Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    Files.setPosixFilePermissions(pkcs1, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> mode("sslcert=" + files.clientCertificate() + " sslkey=" + pkcs1))
        .hasMessageContaining("sslkey").hasMessageContaining("PKCS#8");
  }

  @Test
  void aKeyFileOthersMayReadIsRefused() throws IOException {
    Path key = Files.copy(files.clientKey(), home.resolve("open.key"));
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> mode("sslcert=" + files.clientCertificate() + " sslkey=" + key))
        .hasMessageContaining("sslkey").hasMessageContaining("group or world access");
  }

  @Test
  void defaultClientFilesAreUsedOnlyWhenPresent() throws IOException {
    assertThat(mode("sslmode=require")).isInstanceOf(SslMode.Required.class); // none: fine
    Path dir = Files.createDirectories(home.resolve(".postgresql"));
    Files.copy(files.clientCertificate(), dir.resolve("postgresql.crt"));
    assertThatThrownBy(() -> mode("sslmode=require")).hasMessageContaining("sslkey"); // cert without key
    Files.copy(files.clientKey(), dir.resolve("postgresql.key"));
    Files.setPosixFilePermissions(dir.resolve("postgresql.key"), PosixFilePermissions.fromString("rw-------"));
    assertThat(mode("sslmode=require")).isInstanceOf(SslMode.Required.class);
  }

  @Test
  void disableReadsNoFiles() {
    assertThat(mode("sslmode=disable sslrootcert=/nonexistent/root.crt sslcert=/nonexistent/c.crt"))
        .isInstanceOf(SslMode.Disabled.class);
  }
}
