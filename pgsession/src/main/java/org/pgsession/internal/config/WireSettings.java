package org.pgsession.internal.config;

import org.pgsession.ChannelBinding;
import org.pgsession.ServerConnectInfo;
import org.pgsession.SslMode;
import org.pgsession.SslNegotiation;

/**
 * libpq's {@code channel_binding} ({@code disable}, {@code prefer} (default), {@code require})
 * and {@code sslnegotiation} ({@code postgres} (default), {@code direct}), checked against the
 * resolved {@code sslmode} with libpq's rules: direct TLS needs sslmode require, verify-ca or
 * verify-full; channel binding required needs TLS, so sslmode disable is an error.
 */
final class WireSettings {
  private final ChannelBinding binding;
  private final SslNegotiation negotiation;

  WireSettings(ParamValues values, SslMode ssl, boolean allow) {
    String cb = values.nonEmpty(ConnKey.CHANNEL_BINDING);
    binding = switch (cb == null ? "prefer" : cb) {
      case "disable" -> ChannelBinding.DISABLE;
      case "prefer" -> ChannelBinding.PREFER;
      case "require" -> ChannelBinding.REQUIRE;
      default -> throw values.bad(ConnKey.CHANNEL_BINDING, "invalid channel_binding value: \"" + cb + "\"");
    };
    String neg = values.nonEmpty(ConnKey.SSLNEGOTIATION);
    negotiation = switch (neg == null ? "postgres" : neg) {
      case "postgres" -> SslNegotiation.POSTGRES;
      case "direct" -> SslNegotiation.DIRECT;
      default -> throw values.bad(ConnKey.SSLNEGOTIATION, "invalid sslnegotiation value: \"" + neg + "\"");
    };
    if (binding == ChannelBinding.REQUIRE && ssl instanceof SslMode.Disabled && !allow) {
      throw values.bad(ConnKey.CHANNEL_BINDING, "channel_binding=require needs TLS, but sslmode is disable");
    }
    if (negotiation == SslNegotiation.DIRECT && (allow || !(ssl instanceof SslMode.Required))) {
      throw values.bad(ConnKey.SSLNEGOTIATION, "weak sslmode \"" + values.nonEmpty(ConnKey.SSLMODE)
          + "\" may not be used with sslnegotiation=direct (use require, verify-ca, or verify-full)");
    }
  }

  /** @return whether the plaintext-first attempt of sslmode=allow can never log in (binding required) */
  boolean skipsPlaintext() {
    return binding == ChannelBinding.REQUIRE;
  }

  /** @param server a server @return it with these settings */
  ServerConnectInfo apply(ServerConnectInfo server) {
    return server.withChannelBinding(binding).withSslNegotiation(negotiation);
  }
}
