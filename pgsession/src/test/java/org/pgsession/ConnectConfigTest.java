package org.pgsession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgsession.internal.config.ConfigSources;

/** The public face of ConnectConfig: parse, accessors, copies, and secrecy of the password. */
class ConnectConfigTest {
  private static final String SECRET = "s3cr3t-Pw";
  @TempDir
  Path home;

  private ConnectConfig parse(String s) {
    return ConnectConfig.parse(s, new ConfigSources(Map.of(), home, "osuser"));
  }

  @Test
  void parseFillsServersDatabaseAndOptions() {
    ConnectConfig c = parse("postgresql://app:" + SECRET + "@db1:5432,db2:5433/billing?application_name=b"
        + "&sslmode=disable&connect_timeout=9&statement_cache_size=16");
    assertThat(c.servers()).extracting(ServerConnectInfo::host, ServerConnectInfo::port)
        .containsExactly(tuple("db1", 5432), tuple("db2", 5433));
    assertThat(c.servers()).allSatisfy(s -> {
      assertThat(s.sslMode()).isInstanceOf(SslMode.Disabled.class);
      assertThat(s.authRequirement()).isEqualTo(AuthRequirement.REQUIRE_SCRAM);
      assertThat(s.connectionTimeout()).hasSeconds(9);
    });
    assertThat(c.database()).isEqualTo(new DatabaseConnectInfo("app", SECRET, "billing"));
    assertThat(c.options().startupParameters()).containsEntry("application_name", "b");
    assertThat(c.options().statementCacheSize()).isEqualTo(16);
    assertThat(c.targetSessionAttrs()).isEqualTo(TargetSessionAttrs.ANY);
  }

  @Test
  void toStringNeverShowsThePassword() {
    ConnectConfig c = parse("host=h user=u password=" + SECRET + " sslmode=disable");
    assertThat(c.toString()).doesNotContain(SECRET).contains("user=u").contains("host=h");
    assertThat(c.withPassword("other-" + SECRET).toString()).doesNotContain(SECRET);
  }

  @Test
  void exceptionMessagesNeverShowThePassword() {
    for (String bad : List.of(
        "postgresql://u:" + SECRET + "@h:notaport/db",
        "postgresql://u:" + SECRET + "@h/db?sslmode=bogus",
        "postgresql://u:" + SECRET + "%zz@h/db",
        "postgresql://u:" + SECRET + "%00@h/db",
        "password='" + SECRET,
        "password=" + SECRET + " port=x",
        "password=my " + SECRET + " host=h",
        "password=" + SECRET + " nosuchkey=1",
        "password=" + SECRET + " target_session_attrs=master",
        "password=" + SECRET + " load_balance_hosts=yes",
        "password=" + SECRET + " sslmode=verify-full sslrootcert=/nonexistent")) {
      Throwable t = catchThrowable(() -> parse(bad));
      assertThat(t).as(bad).isInstanceOf(IllegalArgumentException.class);
      for (Throwable e = t; e != null; e = e.getCause()) {
        assertThat(e.getMessage()).as(bad).doesNotContain(SECRET);
      }
    }
  }

  @Test
  void copiesKeepEverythingElse() {
    ConnectConfig c = parse("host=a,b user=u dbname=d sslmode=disable pipelining=on");
    ConnectConfig p = c.withPassword("pw");
    assertThat(p.database()).isEqualTo(new DatabaseConnectInfo("u", "pw", "d"));
    assertThat(p.servers()).isEqualTo(c.servers());
    assertThat(p.options()).isSameAs(c.options());
    ConnectConfig any = c.withAuthRequirement(AuthRequirement.ALLOW_ANY);
    assertThat(any.servers()).extracting(ServerConnectInfo::authRequirement)
        .containsExactly(AuthRequirement.ALLOW_ANY, AuthRequirement.ALLOW_ANY);
    SessionOptions o = SessionOptions.defaults().withStatementCacheSize(3);
    assertThat(c.withOptions(o).options()).isSameAs(o);
  }

  @Test
  void ofKeepsItsContract() {
    ConnectConfig c = ConnectConfig.of(List.of(ServerConnectInfo.of("h", 1)),
        new DatabaseConnectInfo("u", SECRET, "d"), SessionOptions.defaults());
    assertThat(c.targetSessionAttrs()).isEqualTo(TargetSessionAttrs.ANY);
    assertThat(c.toString()).doesNotContain(SECRET);
  }
}
