package org.pgsession.examples.features;

import org.pgsession.Row;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SslMode;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;
import org.pgsession.testkit.PgCluster;

/**
 * TLS: {@code verifyFull} against a server with a certificate (chain and host name checked),
 * and {@code preferred} against a server without TLS (falls back to plaintext only because the
 * server answered 'N').
 */
public final class SslExample implements Example {
  private static final String SSL_IN_USE = "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

  @Override
  public String name() {
    return "ssl";
  }

  @Override
  public String summary() {
    return "TLS required with full verification, and preferred with plaintext fallback";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    PgCluster tls = env.tlsCluster();
    if (tls != null) {
      ServerConnectInfo secure = ServerConnectInfo.of("localhost", tls.port())
          .withSslMode(SslMode.verifyFull(tls.clientSslContext()));
      try (Session session = ExampleEnv.await(Session.open(secure, env.database()))) {
        Row row = ExampleEnv.await(session.query(SSL_IN_USE)).get(0);
        env.out().println("required + verify-full: ssl=" + row.getBoolean("ssl") + " (" + row.getString("version")
            + ")");
      }
    }
    ServerConnectInfo maybe = env.server().withSslMode(SslMode.preferred(javax.net.ssl.SSLContext.getDefault()));
    try (Session session = ExampleEnv.await(Session.open(maybe, env.database()))) {
      Row row = ExampleEnv.await(session.query(SSL_IN_USE)).get(0);
      env.out().println("preferred against " + (env.embedded() ? "a server without TLS" : "PGHOST") + ": ssl="
          + row.getBoolean("ssl"));
    }
  }
}
