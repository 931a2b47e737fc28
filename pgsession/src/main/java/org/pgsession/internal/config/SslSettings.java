package org.pgsession.internal.config;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.pgsession.SslMode;

/**
 * Maps libpq's {@code sslmode}, {@code sslrootcert}, {@code sslcert} and {@code sslkey} onto an
 * {@link SslMode}, with libpq's meaning of each mode:
 * <ul>
 *   <li>{@code disable}: no TLS.
 *   <li>{@code prefer} (the default): TLS when the server offers it. {@code allow} resolves to
 *       the same TLS mode here; {@code ConfigResolver} then makes it libpq's allow: the servers
 *       are tried in plaintext first and this mode becomes the fallback used when a server
 *       refuses the plaintext connection.
 *   <li>{@code require}: TLS or nothing; the chain is checked only when a root certificate file
 *       exists (then like {@code verify-ca}), as in libpq.
 *   <li>{@code verify-ca}: TLS with the chain checked against {@code sslrootcert}.
 *   <li>{@code verify-full}: also the host name.
 * </ul>
 * {@code sslrootcert} defaults to {@code ~/.postgresql/root.crt} (used when it exists);
 * {@code system} is the JDK's default trust store and, as in libpq, makes {@code verify-full} the
 * default and weaker modes an error. {@code sslcert}/{@code sslkey} default to
 * {@code ~/.postgresql/postgresql.crt}/{@code .key}, sent when the certificate file exists. A file
 * named explicitly must exist (libpq silently skips some missing files; pgsession refuses).
 */
final class SslSettings {
  private final ParamValues values;
  private final ConfigSources sources;

  SslSettings(ParamValues values, ConfigSources sources) {
    this.values = values;
    this.sources = sources;
  }

  SslMode sslMode() {
    String rootcert = values.nonEmpty(ConnKey.SSLROOTCERT);
    boolean system = "system".equals(rootcert);
    String mode = values.nonEmpty(ConnKey.SSLMODE);
    if (mode == null) {
      mode = system ? "verify-full" : "prefer";
    }
    switch (mode) {
      case "disable", "allow", "prefer", "require", "verify-ca", "verify-full" -> { }
      default -> throw values.bad(ConnKey.SSLMODE, "invalid sslmode value: \"" + mode + "\"");
    }
    if (mode.equals("disable")) {
      return SslMode.disabled();
    }
    if (system && !mode.equals("verify-full")) {
      throw values.bad(ConnKey.SSLMODE, "weak sslmode \"" + mode + "\" may not be used with sslrootcert=system"
          + " (use verify-full)");
    }
    TlsContexts.Trust trust = trust(rootcert, system, mode.startsWith("verify-"));
    SSLContext ctx = TlsContexts.build(trust, clientCertificate(), keyFile());
    return switch (mode) {
      case "allow", "prefer" -> SslMode.preferred(ctx);
      case "verify-full" -> SslMode.verifyFull(ctx);
      default -> SslMode.required(ctx);
    };
  }

  private TlsContexts.Trust trust(String rootcert, boolean system, boolean verify) {
    if (system) {
      return new TlsContexts.Trust.SystemDefault();
    }
    if (rootcert != null) {
      Path file = Path.of(rootcert);
      if (!Files.exists(file)) {
        throw values.bad(ConnKey.SSLROOTCERT, "root certificate file \"" + file + "\" does not exist");
      }
      return new TlsContexts.Trust.RootFile(file);
    }
    Path fallback = sources.inHome(".postgresql/root.crt");
    if (fallback != null && Files.exists(fallback)) {
      return new TlsContexts.Trust.RootFile(fallback);
    }
    if (verify) {
      throw new IllegalArgumentException("sslrootcert: root certificate file \"" + (fallback == null
          ? "~/.postgresql/root.crt" : fallback) + "\" does not exist; either provide the file, use the"
          + " system's trusted roots with sslrootcert=system, or change sslmode to disable server certificate"
          + " verification");
    }
    return new TlsContexts.Trust.None();
  }

  /** @return the client certificate file to send, or null for none */
  private Path clientCertificate() {
    String cert = values.nonEmpty(ConnKey.SSLCERT);
    if (cert != null) {
      Path file = Path.of(cert);
      if (!Files.exists(file)) {
        throw values.bad(ConnKey.SSLCERT, "certificate file \"" + file + "\" does not exist");
      }
      return file;
    }
    Path fallback = sources.inHome(".postgresql/postgresql.crt");
    return fallback != null && Files.exists(fallback) ? fallback : null;
  }

  private Path keyFile() {
    String key = values.nonEmpty(ConnKey.SSLKEY);
    if (key != null) {
      return Path.of(key);
    }
    Path fallback = sources.inHome(".postgresql/postgresql.key");
    return fallback != null ? fallback : Path.of("postgresql.key");
  }
}
