package org.pgsession.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pgsession.internal.config.ConnKey.APPLICATION_NAME;
import static org.pgsession.internal.config.ConnKey.CONNECT_TIMEOUT;
import static org.pgsession.internal.config.ConnKey.DBNAME;
import static org.pgsession.internal.config.ConnKey.HOST;
import static org.pgsession.internal.config.ConnKey.OPTIONS;
import static org.pgsession.internal.config.ConnKey.PASSWORD;
import static org.pgsession.internal.config.ConnKey.PORT;
import static org.pgsession.internal.config.ConnKey.SSLMODE;
import static org.pgsession.internal.config.ConnKey.TARGET_SESSION_ATTRS;
import static org.pgsession.internal.config.ConnKey.USER;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** libpq's syntax: the examples of its "Connection Strings" page, and the error cases. */
class ConnStringParserTest {

  private static Map<ConnKey, String> parse(String s) {
    return ConnStringParser.parse(s);
  }

  @Test
  void libpqUriExamples() {
    assertThat(parse("postgresql://")).isEmpty();
    assertThat(parse("postgresql://localhost")).containsExactlyInAnyOrderEntriesOf(Map.of(HOST, "localhost"));
    assertThat(parse("postgresql://localhost:5433")).containsExactlyInAnyOrderEntriesOf(
        Map.of(HOST, "localhost", PORT, "5433"));
    assertThat(parse("postgresql://localhost/mydb")).containsExactlyInAnyOrderEntriesOf(
        Map.of(HOST, "localhost", DBNAME, "mydb"));
    assertThat(parse("postgresql://user@localhost")).containsExactlyInAnyOrderEntriesOf(
        Map.of(HOST, "localhost", USER, "user"));
    assertThat(parse("postgresql://user:secret@localhost")).containsExactlyInAnyOrderEntriesOf(
        Map.of(HOST, "localhost", USER, "user", PASSWORD, "secret"));
    assertThat(parse("postgresql://other@localhost/otherdb?connect_timeout=10&application_name=myapp"))
        .containsExactlyInAnyOrderEntriesOf(Map.of(HOST, "localhost", USER, "other", DBNAME, "otherdb",
            CONNECT_TIMEOUT, "10", APPLICATION_NAME, "myapp"));
    assertThat(parse("postgresql://host1:123,host2:456/somedb?target_session_attrs=any&application_name=myapp"))
        .containsExactlyInAnyOrderEntriesOf(Map.of(HOST, "host1,host2", PORT, "123,456", DBNAME, "somedb",
            TARGET_SESSION_ATTRS, "any", APPLICATION_NAME, "myapp"));
  }

  @Test
  void otherSchemesAreTheSameSyntax() {
    Map<ConnKey, String> expected = Map.of(HOST, "h", PORT, "1", DBNAME, "d", USER, "u");
    assertThat(parse("postgres://u@h:1/d")).containsExactlyInAnyOrderEntriesOf(expected);
    assertThat(parse("jdbc:postgresql://u@h:1/d")).containsExactlyInAnyOrderEntriesOf(expected);
    assertThat(parse("jdbc:postgresql://h:1/d?user=u")).containsExactlyInAnyOrderEntriesOf(expected);
  }

  @Test
  void everyUriPartIsPercentDecoded() {
    assertThat(parse("postgresql://us%40er:p%3As%2Fw%20%C3%A9@my%2Dhost:5432/my%20db?options=-c%20x%3D1"))
        .containsExactlyInAnyOrderEntriesOf(Map.of(USER, "us@er", PASSWORD, "p:s/w é", HOST, "my-host",
            PORT, "5432", DBNAME, "my db", OPTIONS, "-c x=1"));
    // '+' is not a space in libpq URIs.
    assertThat(parse("postgresql://h/a+b")).containsEntry(DBNAME, "a+b");
  }

  @Test
  void ipv6LiteralsInBrackets() {
    assertThat(parse("postgresql://[2001:db8::1234]/database")).containsExactlyInAnyOrderEntriesOf(
        Map.of(HOST, "2001:db8::1234", DBNAME, "database"));
    assertThat(parse("postgresql://[::1]:5433,h2/db")).containsExactlyInAnyOrderEntriesOf(
        Map.of(HOST, "::1,h2", PORT, "5433,", DBNAME, "db"));
    assertThatThrownBy(() -> parse("postgresql://[::1/db")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"]\"");
    assertThatThrownBy(() -> parse("postgresql://[]/db")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hostListsWithoutPortsLeaveThePortUnset() {
    assertThat(parse("postgresql://a,b,c/db")).containsExactlyInAnyOrderEntriesOf(
        Map.of(HOST, "a,b,c", DBNAME, "db"));
  }

  @Test
  void queryParametersOverrideAndSslTrueMeansRequire() {
    assertThat(parse("postgresql://h1/db?host=h2&port=7&dbname=other")).containsExactlyInAnyOrderEntriesOf(
        Map.of(HOST, "h2", PORT, "7", DBNAME, "other"));
    assertThat(parse("postgresql://h?ssl=true")).containsEntry(SSLMODE, "require");
    assertThatThrownBy(() -> parse("postgresql://h?ssl=yes")).hasMessageContaining("ssl");
  }

  @Test
  void malformedUris() {
    assertThatThrownBy(() -> parse("postgresql://h/db?sslmode")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("separator");
    assertThatThrownBy(() -> parse("postgresql://h/db?a=b=c")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("extra");
    assertThatThrownBy(() -> parse("postgresql://h/db?nosuchkey=1")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nosuchkey");
    assertThatThrownBy(() -> parse("postgresql://h/my%zzdb")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("percent");
    assertThatThrownBy(() -> parse("postgresql://h/my%0")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("percent");
    assertThatThrownBy(() -> parse("postgresql://h/a%00b")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("%00");
  }

  @Test
  void keyValueForm() {
    assertThat(parse("host=localhost port=5432 dbname=mydb connect_timeout=10"))
        .containsExactlyInAnyOrderEntriesOf(Map.of(HOST, "localhost", PORT, "5432", DBNAME, "mydb",
            CONNECT_TIMEOUT, "10"));
    assertThat(parse("  host =  h1,h2\tport= 1,2  ")).containsExactlyInAnyOrderEntriesOf(
        Map.of(HOST, "h1,h2", PORT, "1,2"));
    assertThat(parse("")).isEmpty();
    assertThat(parse("   ")).isEmpty();
  }

  @Test
  void quotingEscapesAndEmptyValues() {
    assertThat(parse("password='a b\\'c\\\\d' user=x")).containsExactlyInAnyOrderEntriesOf(
        Map.of(PASSWORD, "a b'c\\d", USER, "x"));
    assertThat(parse("user=a\\ b dbname=c\\'d")).containsExactlyInAnyOrderEntriesOf(
        Map.of(USER, "a b", DBNAME, "c'd"));
    assertThat(parse("options='' user=u")).containsExactlyInAnyOrderEntriesOf(Map.of(OPTIONS, "", USER, "u"));
    assertThat(parse("options= user=u")).containsExactlyInAnyOrderEntriesOf(Map.of(OPTIONS, "user=u"));
    assertThat(parse("options=")).containsExactlyInAnyOrderEntriesOf(Map.of(OPTIONS, ""));
    assertThat(parse("options='-c search_path=app,public'")).containsEntry(OPTIONS, "-c search_path=app,public");
  }

  @Test
  void laterKeysWin() {
    assertThat(parse("host=a host=b")).containsExactlyInAnyOrderEntriesOf(Map.of(HOST, "b"));
  }

  @Test
  void malformedKeyValueStrings() {
    assertThatThrownBy(() -> parse("host")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"=\"").hasMessageContaining("host");
    assertThatThrownBy(() -> parse("host=a port")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port");
    assertThatThrownBy(() -> parse("password='abc")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unterminated").hasMessageContaining("password").hasMessageNotContaining("abc");
    assertThatThrownBy(() -> parse("Host=a")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Host");
    assertThatThrownBy(() -> parse("bogus=1")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bogus");
    assertThatThrownBy(() -> parse("hostaddr=127.0.0.1")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hostaddr").hasMessageContaining("not supported");
  }
}
