package org.pgsession.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.pgsession.ConnectConfig;
import org.pgsession.SslMode;

/** R2DBC URLs and options become the driver's ConnectConfig. */
class ProviderTest {
  private final PgsessionConnectionFactoryProvider provider = new PgsessionConnectionFactoryProvider();

  @Test
  void urlMapsOntoConnectConfig() {
    ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(
        "r2dbc:pgsession://app:s3cr%27t@db.example.com:6543/billing?application_name=bill&ssl=true"
            + "&connectTimeout=PT2.5S&statement_cache_size=0");
    assertThat(provider.supports(options)).isTrue();
    ConnectConfig config = provider.create(options).config();
    assertThat(config.servers()).hasSize(1);
    assertThat(config.servers().get(0).host()).isEqualTo("db.example.com");
    assertThat(config.servers().get(0).port()).isEqualTo(6543);
    assertThat(config.servers().get(0).sslMode()).isInstanceOf(SslMode.Required.class);
    assertThat(config.servers().get(0).connectionTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.database().user()).isEqualTo("app");
    assertThat(config.database().password()).isEqualTo("s3cr't");
    assertThat(config.database().database()).isEqualTo("billing");
    assertThat(config.options().statementCacheSize()).isZero();
    assertThat(config.options().startupParameters()).containsEntry("application_name", "bill");
  }

  @Test
  void otherDriversAreNotOurs() {
    assertThat(provider.supports(ConnectionFactoryOptions.parse("r2dbc:postgresql://localhost/db"))).isFalse();
    assertThat(ConnectionFactories.get("r2dbc:pgsession://localhost/db"))
        .isInstanceOf(PgsessionConnectionFactory.class);
  }

  @Test
  void badValuesAreClearErrors() {
    assertThatThrownBy(() -> provider.create(ConnectionFactoryOptions.parse(
        "r2dbc:pgsession://localhost/db?sslmode=sometimes"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sslmode");
    assertThatThrownBy(() -> provider.create(ConnectionFactoryOptions.parse(
        "r2dbc:pgsession://localhost/db?statementTimeout=soon"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("soon");
  }
}
