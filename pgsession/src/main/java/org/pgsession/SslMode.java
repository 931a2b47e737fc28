package org.pgsession;

import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * TLS policy of a session. Certificate chains are checked by the context's trust managers.
 * {@link Preferred} falls back to plaintext only when the server answers {@code N} to the
 * SSLRequest; a failed handshake is always a failure.
 */
public sealed interface SslMode {

  /** No TLS. */
  record Disabled() implements SslMode {}

  /**
   * TLS when the server offers it, plaintext when it declines.
   *
   * @param context TLS context
   */
  record Preferred(SSLContext context) implements SslMode {
    /** Rejects a null context. */
    public Preferred {
      Objects.requireNonNull(context, "context");
    }
  }

  /**
   * TLS or no session.
   *
   * @param context TLS context (its trust managers check the chain)
   * @param verifyHostname also check that the certificate names the host
   */
  record Required(SSLContext context, boolean verifyHostname) implements SslMode {
    /** Rejects a null context. */
    public Required {
      Objects.requireNonNull(context, "context");
    }
  }

  /**
   * @return no TLS
   */
  static SslMode disabled() {
    return new Disabled();
  }

  /**
   * @param context TLS context
   * @return TLS if offered
   */
  static SslMode preferred(SSLContext context) {
    return new Preferred(context);
  }

  /**
   * @param context TLS context
   * @return TLS required, chain checked, host name not checked
   */
  static SslMode required(SSLContext context) {
    return new Required(context, false);
  }

  /**
   * @param context TLS context
   * @return TLS required, chain and host name checked
   */
  static SslMode verifyFull(SSLContext context) {
    return new Required(context, true);
  }
}
