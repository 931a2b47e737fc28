package org.pgsession.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgsession.AuthRequirement;
import org.pgsession.ServerConnectInfo;
import org.pgsession.SessionOptions;
import org.pgsession.SslMode;
import org.pgsession.TargetSessionAttrs;
import org.pgsession.internal.config.ConfigResolver.Resolved;

/** Precedence (explicit > environment > defaults) and the meaning of each value. */
class ConfigResolverTest {
  @TempDir
  Path home;
  private final Map<String, String> env = new HashMap<>();

  private Resolved resolve(String s) {
    return ConfigResolver.resolve(s, new ConfigSources(env, home, "osuser"));
  }

  private static List<String> hostPorts(Resolved r) {
    return r.servers().stream().map(s -> s.host() + ":" + s.port()).toList();
  }

  @Test
  void defaultsAreLocalhostPortOsUserAndDatabaseNamedLikeTheUser() {
    Resolved r = resolve("");
    assertThat(hostPorts(r)).containsExactly("localhost:5432");
    assertThat(r.database().user()).isEqualTo("osuser");
    assertThat(r.database().database()).isEqualTo("osuser");
    assertThat(r.database().password()).isEmpty();
    ServerConnectInfo s = r.servers().get(0);
    assertThat(s.sslMode()).isInstanceOf(SslMode.Preferred.class);
    assertThat(s.connectionTimeout()).isNull();
    assertThat(r.targetSessionAttrs()).isEqualTo(TargetSessionAttrs.ANY);
    assertThat(r.options().startupParameters()).isEmpty();
    assertThat(r.options().statementCacheSize()).isEqualTo(SessionOptions.DEFAULT_STATEMENT_CACHE_SIZE);
  }

  @Test
  void databaseDefaultsToTheGivenUser() {
    assertThat(resolve("user=alice").database().database()).isEqualTo("alice");
    env.put("PGUSER", "bob");
    assertThat(resolve("").database().database()).isEqualTo("bob");
  }

  @Test
  void environmentFillsUnsetKeys() {
    env.putAll(Map.of("PGHOST", "envhost", "PGPORT", "6000", "PGUSER", "envuser", "PGDATABASE", "envdb",
        "PGPASSWORD", "envpw", "PGSSLMODE", "disable", "PGCONNECT_TIMEOUT", "7", "PGAPPNAME", "envapp",
        "PGOPTIONS", "-c search_path=app"));
    Resolved r = resolve("");
    assertThat(hostPorts(r)).containsExactly("envhost:6000");
    assertThat(r.database().user()).isEqualTo("envuser");
    assertThat(r.database().database()).isEqualTo("envdb");
    assertThat(r.database().password()).isEqualTo("envpw");
    assertThat(r.servers().get(0).sslMode()).isInstanceOf(SslMode.Disabled.class);
    assertThat(r.servers().get(0).connectionTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(r.options().startupParameters()).containsExactly(Map.entry("application_name", "envapp"),
        Map.entry("options", "-c search_path=app"));
  }

  @Test
  void explicitKeysBeatTheEnvironment() {
    env.putAll(Map.of("PGHOST", "envhost", "PGPORT", "6000", "PGUSER", "envuser", "PGPASSWORD", "envpw"));
    Resolved r = resolve("postgresql://me:mine@myhost:7000/mydb");
    assertThat(hostPorts(r)).containsExactly("myhost:7000");
    assertThat(r.database().user()).isEqualTo("me");
    assertThat(r.database().password()).isEqualTo("mine");
    assertThat(r.database().database()).isEqualTo("mydb");
  }

  @Test
  void anExplicitEmptyValueMeansTheDefaultNotTheEnvironment() {
    env.putAll(Map.of("PGHOST", "envhost", "PGPORT", "6000", "PGUSER", "envuser"));
    Resolved r = resolve("host='' port='' user=''");
    assertThat(hostPorts(r)).containsExactly("localhost:5432");
    assertThat(r.database().user()).isEqualTo("osuser");
  }

  @Test
  void hostAndPortLists() {
    assertThat(hostPorts(resolve("host=a,b,c port=7"))).containsExactly("a:7", "b:7", "c:7");
    assertThat(hostPorts(resolve("host=a,b port=1,2"))).containsExactly("a:1", "b:2");
    assertThat(hostPorts(resolve("host=a,,b port=1,,3"))).containsExactly("a:1", "localhost:5432", "b:3");
    assertThat(hostPorts(resolve("postgresql://a:1,[::1],b:3/db"))).containsExactly("a:1", "::1:5432", "b:3");
    env.put("PGPORT", "6000");
    assertThat(hostPorts(resolve("postgresql://a,b/db"))).containsExactly("a:6000", "b:6000");
    assertThatThrownBy(() -> resolve("host=a,b,c port=1,2")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port").hasMessageContaining("2 port numbers to 3 hosts");
  }

  @Test
  void badPortsNameTheKeyAndTheSource() {
    assertThatThrownBy(() -> resolve("port=abc")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port").hasMessageContaining("abc").hasMessageContaining("connection string");
    assertThatThrownBy(() -> resolve("port=0")).hasMessageContaining("port");
    assertThatThrownBy(() -> resolve("port=65536")).hasMessageContaining("port");
    env.put("PGPORT", "x1");
    assertThatThrownBy(() -> resolve("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port").hasMessageContaining("PGPORT");
  }

  @Test
  void unixSocketDirectoriesAreRefused() {
    assertThatThrownBy(() -> resolve("host=/var/run/postgresql")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host").hasMessageContaining("socket");
    assertThatThrownBy(() -> resolve("postgresql://%2Ftmp/db")).hasMessageContaining("socket");
    env.put("PGHOST", "/tmp");
    assertThatThrownBy(() -> resolve("")).hasMessageContaining("PGHOST");
  }

  @Test
  void connectTimeoutFollowsLibpq() {
    assertThat(resolve("connect_timeout=10").servers().get(0).connectionTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(resolve("connect_timeout=1").servers().get(0).connectionTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(resolve("connect_timeout=0").servers().get(0).connectionTimeout()).isNull();
    assertThat(resolve("connect_timeout=-3").servers().get(0).connectionTimeout()).isNull();
    assertThat(resolve("host=a,b connect_timeout=5").servers()).allSatisfy(
        s -> assertThat(s.connectionTimeout()).isEqualTo(Duration.ofSeconds(5)));
    assertThatThrownBy(() -> resolve("connect_timeout=1.5")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("connect_timeout");
  }

  @Test
  void startupParametersAndSessionOptions() {
    Resolved r = resolve("application_name=billing options='-c search_path=app' statement_cache_size=0"
        + " pipelining=on");
    assertThat(r.options().startupParameters()).containsExactly(Map.entry("application_name", "billing"),
        Map.entry("options", "-c search_path=app"));
    assertThat(r.options().statementCacheSize()).isZero();
    assertThat(r.options().pipelining()).isTrue();
    for (String off : new String[] {"off", "false", "0"}) {
      assertThat(resolve("pipelining=" + off).options().pipelining()).isFalse();
    }
    for (String on : new String[] {"on", "true", "1"}) {
      assertThat(resolve("pipelining=" + on).options().pipelining()).isTrue();
    }
    assertThatThrownBy(() -> resolve("pipelining=maybe")).hasMessageContaining("pipelining");
    assertThatThrownBy(() -> resolve("statement_cache_size=-1")).hasMessageContaining("statement_cache_size");
    assertThatThrownBy(() -> resolve("statement_cache_size=lots")).hasMessageContaining("statement_cache_size");
  }

  @Test
  void fallbackApplicationNameOnlyWhenNoneIsGiven() {
    assertThat(resolve("fallback_application_name=fb").options().startupParameters())
        .containsExactly(Map.entry("application_name", "fb"));
    assertThat(resolve("fallback_application_name=fb application_name=app").options().startupParameters())
        .containsExactly(Map.entry("application_name", "app"));
    env.put("PGAPPNAME", "envapp");
    assertThat(resolve("fallback_application_name=fb").options().startupParameters())
        .containsExactly(Map.entry("application_name", "envapp"));
  }

  @Test
  void targetSessionAttrs() {
    assertThat(resolve("").targetSessionAttrs()).isEqualTo(TargetSessionAttrs.ANY);
    assertThat(resolve("target_session_attrs=any").targetSessionAttrs()).isEqualTo(TargetSessionAttrs.ANY);
    assertThat(resolve("target_session_attrs=read-write").targetSessionAttrs())
        .isEqualTo(TargetSessionAttrs.READ_WRITE);
    assertThat(resolve("target_session_attrs=read-only").targetSessionAttrs()).isEqualTo(TargetSessionAttrs.READ_ONLY);
    assertThat(resolve("target_session_attrs=primary").targetSessionAttrs()).isEqualTo(TargetSessionAttrs.PRIMARY);
    assertThat(resolve("target_session_attrs=prefer-standby").targetSessionAttrs())
        .isEqualTo(TargetSessionAttrs.PREFER_STANDBY);
    assertThatThrownBy(() -> resolve("target_session_attrs=master")).hasMessageContaining("target_session_attrs")
        .hasMessageContaining("invalid");
    env.put("PGTARGETSESSIONATTRS", "standby");
    assertThat(resolve("").targetSessionAttrs()).isEqualTo(TargetSessionAttrs.STANDBY);
    env.put("PGTARGETSESSIONATTRS", "secondary");
    assertThatThrownBy(() -> resolve("")).hasMessageContaining("PGTARGETSESSIONATTRS");
  }

  @Test
  void loadBalanceHosts() {
    assertThat(resolve("host=a,b").loadBalanceHosts()).isFalse();
    assertThat(resolve("host=a,b load_balance_hosts=disable").loadBalanceHosts()).isFalse();
    assertThat(resolve("host=a,b load_balance_hosts=random").loadBalanceHosts()).isTrue();
    assertThat(resolve("postgresql://a,b/db?load_balance_hosts=random").loadBalanceHosts()).isTrue();
    assertThatThrownBy(() -> resolve("load_balance_hosts=roundrobin")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("load_balance_hosts").hasMessageContaining("roundrobin");
    env.put("PGLOADBALANCEHOSTS", "random");
    assertThat(resolve("host=a,b").loadBalanceHosts()).isTrue();
  }

  @Test
  void requireAuthMapsOntoTheAuthRequirement() {
    assertThat(auth("")).isEqualTo(AuthRequirement.REQUIRE_SCRAM);
    assertThat(auth("require_auth=scram-sha-256")).isEqualTo(AuthRequirement.REQUIRE_SCRAM);
    assertThat(auth("require_auth=!password,!md5,!none")).isEqualTo(AuthRequirement.REQUIRE_SCRAM);
    assertThat(auth("require_auth=scram-sha-256,gss")).isEqualTo(AuthRequirement.REQUIRE_SCRAM);
    assertThat(auth("require_auth=password,md5,scram-sha-256,none")).isEqualTo(AuthRequirement.ALLOW_ANY);
    assertThat(auth("require_auth=!gss")).isEqualTo(AuthRequirement.ALLOW_ANY);
    assertThat(resolve("host=a,b require_auth=!sspi").servers()).extracting(ServerConnectInfo::authRequirement)
        .containsExactly(AuthRequirement.ALLOW_ANY, AuthRequirement.ALLOW_ANY);
    assertThatThrownBy(() -> auth("require_auth=md5")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("require_auth").hasMessageContaining("cannot be expressed");
    assertThatThrownBy(() -> auth("require_auth=kerberos")).hasMessageContaining("invalid require_auth method");
    assertThatThrownBy(() -> auth("require_auth=md5,!gss")).hasMessageContaining("cannot be mixed");
    assertThatThrownBy(() -> auth("require_auth=md5,md5")).hasMessageContaining("more than once");
    env.put("PGREQUIREAUTH", "!gss");
    assertThat(auth("")).isEqualTo(AuthRequirement.ALLOW_ANY);
  }

  private AuthRequirement auth(String s) {
    return resolve(s).servers().get(0).authRequirement();
  }

  @Test
  void libpqNamesOfTargetSessionAttrs() {
    assertThat(TargetSessionAttrs.PREFER_STANDBY.libpqName()).isEqualTo("prefer-standby");
    for (TargetSessionAttrs t : TargetSessionAttrs.values()) {
      assertThat(TargetSessionAttrs.fromLibpqName(t.libpqName())).isEqualTo(t);
    }
  }
}
