package org.pgsession.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgsession.internal.config.ConfigResolver.Resolved;

/** libpq's connection service file: sections, file precedence and key precedence. */
class ServiceFileTest {
  @TempDir
  Path home;
  private final Map<String, String> env = new HashMap<>();

  private Resolved resolve(String s) {
    return ConfigResolver.resolve(s, new ConfigSources(env, home, "osuser"));
  }

  private static String hostPort(Resolved r) {
    return r.servers().get(0).host() + ":" + r.servers().get(0).port();
  }

  private Path write(Path file, String... lines) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, String.join("\n", lines) + "\n");
  }

  @Test
  void theNamedSectionSuppliesUnsetKeys() throws IOException {
    write(home.resolve(".pg_service.conf"), "# services", "[other]", "host=wrong", "",
        "[mydb]", "host=somehost", "port=5433", "user=admin", "  # indented comment", "dbname = sales",
        "[after]", "port=1");
    Resolved r = resolve("service=mydb");
    assertThat(hostPort(r)).isEqualTo("somehost:5433");
    assertThat(r.database().user()).isEqualTo("admin");
    assertThat(r.database().database()).isEqualTo("sales");
  }

  @Test
  void explicitKeysBeatTheServiceWhichBeatsTheEnvironment() throws IOException {
    write(home.resolve(".pg_service.conf"), "[mydb]", "host=svchost", "port=5433");
    env.putAll(Map.of("PGHOST", "envhost", "PGPORT", "6000", "PGUSER", "envuser"));
    Resolved r = resolve("service=mydb port=7000");
    assertThat(hostPort(r)).isEqualTo("svchost:7000");
    assertThat(r.database().user()).isEqualTo("envuser");
  }

  @Test
  void pgserviceNamesTheServiceAndPgservicefileTheFile() throws IOException {
    Path file = write(home.resolve("elsewhere/services.conf"), "[envsvc]", "host=fromenvsvc");
    env.put("PGSERVICEFILE", file.toString());
    env.put("PGSERVICE", "envsvc");
    assertThat(hostPort(resolve(""))).isEqualTo("fromenvsvc:5432");
  }

  @Test
  void theUserFileWinsAndTheSystemFileIsTheFallback() throws IOException {
    write(home.resolve(".pg_service.conf"), "[both]", "host=user-file");
    Path sysconf = home.resolve("etc");
    write(sysconf.resolve("pg_service.conf"), "[both]", "host=system-file", "[sysonly]", "host=system-only");
    env.put("PGSYSCONFDIR", sysconf.toString());
    assertThat(hostPort(resolve("service=both"))).isEqualTo("user-file:5432");
    assertThat(hostPort(resolve("service=sysonly"))).isEqualTo("system-only:5432");
  }

  @Test
  void anUnknownServiceIsAnError() throws IOException {
    write(home.resolve(".pg_service.conf"), "[mydb]", "host=x");
    assertThatThrownBy(() -> resolve("service=nosuch")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nosuch").hasMessageContaining("not found");
    env.put("PGSERVICE", "alsonot");
    assertThatThrownBy(() -> resolve("")).hasMessageContaining("alsonot");
  }

  @Test
  void malformedServiceFiles() throws IOException {
    Path file = home.resolve(".pg_service.conf");
    write(file, "[mydb]", "host");
    assertThatThrownBy(() -> resolve("service=mydb")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("syntax error").hasMessageContaining("line 2");
    write(file, "[mydb]", "service=other");
    assertThatThrownBy(() -> resolve("service=mydb")).hasMessageContaining("nested service");
    write(file, "[mydb]", "colour=blue");
    assertThatThrownBy(() -> resolve("service=mydb")).hasMessageContaining("colour").hasMessageContaining("line 2");
    write(file, "[mydb", "host=x");
    assertThatThrownBy(() -> resolve("service=mydb")).hasMessageContaining("syntax error");
  }

  @Test
  void badServiceValuesNameTheService() throws IOException {
    write(home.resolve(".pg_service.conf"), "[mydb]", "port=high");
    assertThatThrownBy(() -> resolve("service=mydb")).hasMessageContaining("port")
        .hasMessageContaining("service \"mydb\"");
  }

  @Test
  void aServiceMayListHostsAndPorts() throws IOException {
    write(home.resolve(".pg_service.conf"), "[ha]", "host=a,b", "port=1,2");
    assertThat(resolve("service=ha").servers()).extracting(s -> s.host() + ":" + s.port())
        .isEqualTo(List.of("a:1", "b:2"));
  }
}
