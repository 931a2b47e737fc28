package org.pgsession.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** libpq's password file: format, matching, precedence and the permission rule. */
class PassFileTest {
  @TempDir
  Path home;
  private final Map<String, String> env = new HashMap<>();

  private Path passfile(Path file, String... lines) throws IOException {
    Files.writeString(file, String.join("\n", lines) + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private String password(String connString) {
    return ConfigResolver.resolve(connString, new ConfigSources(env, home, "osuser")).database().password();
  }

  @Test
  void fieldsMatchLiterallyOrByWildcard() {
    assertThat(PassFile.match("h:5432:db:u:pw", "h", "5432", "db", "u")).isEqualTo("pw");
    assertThat(PassFile.match("h:5432:db:u:pw", "h", "5433", "db", "u")).isNull();
    assertThat(PassFile.match("*:*:*:*:pw", "any", "1", "x", "y")).isEqualTo("pw");
    assertThat(PassFile.match("h:*:db:*:pw", "h", "9", "db", "z")).isEqualTo("pw");
    // '*' is a wildcard only as a whole field.
    assertThat(PassFile.match("h*:*:*:*:pw", "hx", "1", "x", "y")).isNull();
    assertThat(PassFile.match("h*:*:*:*:pw", "h*", "1", "x", "y")).isEqualTo("pw");
    // A field must match completely, not as a prefix.
    assertThat(PassFile.match("host:*:*:*:pw", "ho", "1", "x", "y")).isNull();
    assertThat(PassFile.match("ho:*:*:*:pw", "host", "1", "x", "y")).isNull();
  }

  @Test
  void escapesCommentsAndShortLines() {
    assertThat(PassFile.match("a\\:b:*:*:*:p\\:w\\\\d", "a:b", "1", "d", "u")).isEqualTo("p:w\\d");
    assertThat(PassFile.match("*:*:*:u\\\\x:pw", "h", "1", "d", "u\\x")).isEqualTo("pw");
    assertThat(PassFile.match("*:*:*:*:pw:trailing", "h", "1", "d", "u")).isEqualTo("pw");
    assertThat(PassFile.match("*:*:*:*:pw\r", "h", "1", "d", "u")).isEqualTo("pw");
    assertThat(PassFile.match("*:*:*:*:", "h", "1", "d", "u")).isEmpty();
    assertThat(PassFile.match("# *:*:*:*:pw", "# ", "1", "d", "u")).isNull();
    assertThat(PassFile.match("#*:*:*:*:pw", "#*", "1", "d", "u")).isNull();
    assertThat(PassFile.match("", "h", "1", "d", "u")).isNull();
    assertThat(PassFile.match("*:*:*:*", "h", "1", "d", "u")).isNull();
    assertThat(PassFile.match("*:*:*", "h", "1", "d", "u")).isNull();
  }

  @Test
  void firstMatchingLineWins() throws IOException {
    passfile(home.resolve(".pgpass"), "# comment", "", "other:*:*:*:nope", "localhost:5432:*:osuser:first",
        "*:*:*:*:second");
    assertThat(password("")).isEqualTo("first");
    assertThat(password("host=elsewhere")).isEqualTo("second");
    assertThat(password("host=other")).isEqualTo("nope");
  }

  @Test
  void matchingUsesTheResolvedDatabaseUserAndPort() throws IOException {
    passfile(home.resolve(".pgpass"), "db1:6000:sales:ann:p1", "db1:5432:osuser:osuser:p2",
        "db2:5432:bob:bob:p3");
    env.put("PGPORT", "6000");
    assertThat(password("host=db1 dbname=sales user=ann")).isEqualTo("p1");
    assertThat(password("host=db1 port=5432")).isEqualTo("p2");
    assertThat(password("host=db2 port=5432 user=bob")).isEqualTo("p3");
    assertThat(password("host=db2 user=bob")).isEmpty(); // port 6000 from PGPORT: no line matches
  }

  @Test
  void theFirstHostWithAMatchDecides() throws IOException {
    passfile(home.resolve(".pgpass"), "b:*:*:*:pw-b", "c:*:*:*:pw-c");
    assertThat(password("host=a,c,b")).isEqualTo("pw-c");
  }

  @Test
  void aGivenPasswordOrPgpasswordBeatsTheFile() throws IOException {
    passfile(home.resolve(".pgpass"), "*:*:*:*:fromfile");
    assertThat(password("password=given")).isEqualTo("given");
    assertThat(password("password=''")).isEqualTo("fromfile"); // empty counts as missing, as in libpq
    env.put("PGPASSWORD", "fromenv");
    assertThat(password("")).isEqualTo("fromenv");
  }

  @Test
  void passfileKeyAndPgpassfileChooseTheFile() throws IOException {
    passfile(home.resolve(".pgpass"), "*:*:*:*:default");
    Path a = passfile(home.resolve("a.pass"), "*:*:*:*:from-a");
    Path b = passfile(home.resolve("b.pass"), "*:*:*:*:from-b");
    env.put("PGPASSFILE", b.toString());
    assertThat(password("passfile=" + a)).isEqualTo("from-a");
    assertThat(password("")).isEqualTo("from-b");
    assertThat(password("passfile=" + home.resolve("missing"))).isEmpty();
  }

  @Test
  void aFileOthersMayReadIsIgnoredWithAWarning() throws IOException {
    Path file = passfile(home.resolve(".pgpass"), "*:*:*:*:secret");
    assertThat(password("")).isEqualTo("secret");
    List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord r) {
        warnings.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger logger = Logger.getLogger("org.pgsession");
    logger.addHandler(handler);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      assertThat(password("")).isEmpty();
    } finally {
      logger.removeHandler(handler);
    }
    assertThat(warnings).anySatisfy(r -> {
      assertThat(r.getLevel()).isEqualTo(Level.WARNING);
      assertThat(r.getMessage()).contains(file.toString()).contains("group or world access");
    });
    for (String mode : new String[] {"rw-r-----", "rw----r--", "rw--w----", "rw-----w-", "rwx--x---"}) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
      assertThat(password("")).as(mode).isEmpty();
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
    assertThat(password("")).isEqualTo("secret");
  }

  @Test
  void aDirectoryIsNotAPasswordFile() throws IOException {
    Files.createDirectory(home.resolve(".pgpass"));
    assertThat(password("")).isEmpty();
  }
}
