package org.pgsession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgsession.internal.config.ConfigSources;

/** {@code channel_binding} and {@code sslnegotiation} in connection strings, and their libpq rules. */
class WireConfigTest {
  @TempDir
  Path home;

  private ConnectConfig parse(String s) {
    return ConnectConfig.parse(s, new ConfigSources(Map.of(), home, "osuser"));
  }

  @Test
  void defaultsArePreferAndPostgres() {
    ServerConnectInfo s = parse("host=h").servers().get(0);
    assertThat(s.channelBinding()).isEqualTo(ChannelBinding.PREFER);
    assertThat(s.sslNegotiation()).isEqualTo(SslNegotiation.POSTGRES);
    assertThat(ServerConnectInfo.of("h", 1).channelBinding()).isEqualTo(ChannelBinding.PREFER);
  }

  @Test
  void parsesEveryValue() {
    assertThat(parse("host=h channel_binding=disable").servers().get(0).channelBinding())
        .isEqualTo(ChannelBinding.DISABLE);
    assertThat(parse("host=h channel_binding=require").servers().get(0).channelBinding())
        .isEqualTo(ChannelBinding.REQUIRE);
    ServerConnectInfo direct = parse("host=h sslmode=require sslnegotiation=direct").servers().get(0);
    assertThat(direct.sslNegotiation()).isEqualTo(SslNegotiation.DIRECT);
    assertThat(direct.sslMode()).isInstanceOf(SslMode.Required.class);
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> parse("host=h channel_binding=maybe")).hasMessageContaining("channel_binding");
    assertThatThrownBy(() -> parse("host=h sslmode=require sslnegotiation=fast")).hasMessageContaining("sslnegotiation");
  }

  @Test
  void directNeedsRequireOrStronger() {
    for (String mode : new String[] {"disable", "allow", "prefer"}) {
      assertThatThrownBy(() -> parse("host=h sslnegotiation=direct sslmode=" + mode))
          .as(mode).hasMessageContaining("sslnegotiation=direct");
    }
    assertThatThrownBy(() -> parse("host=h sslnegotiation=direct")).hasMessageContaining("sslnegotiation=direct");
    assertThatThrownBy(() -> ServerConnectInfo.of("h", 1).withSslNegotiation(SslNegotiation.DIRECT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("direct TLS");
  }

  @Test
  void requiredBindingRefusesPlaintextAndSkipsAllowsPlaintextAttempt() {
    assertThatThrownBy(() -> parse("host=h sslmode=disable channel_binding=require"))
        .hasMessageContaining("channel_binding=require needs TLS");
    ConnectConfig allow = parse("host=h sslmode=allow channel_binding=require");
    assertThat(allow.servers().get(0).sslMode()).isInstanceOf(SslMode.Required.class);
  }
}
