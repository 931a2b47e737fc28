package org.pgsession.it.types;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.pgsession.it.types.TypeSessions.prepared;
import static org.pgsession.it.types.TypeSessions.same;
import static org.pgsession.it.types.TypeSessions.show;
import static org.pgsession.it.types.TypeSessions.simple;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.QueryFailure;
import org.pgsession.Rows;
import org.pgsession.SimpleQuery;
import org.pgsession.it.ResultRecorder;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgTestExtension;
import org.pgsession.types.PgArray;
import org.pgsession.types.PgInterval;

/**
 * Every row of the built-in value mapping against the real server: a value sent as a binary
 * parameter comes back equal in binary; the same value written as a SQL literal comes back
 * equal in binary (extended protocol, no parameters) and in text (simple protocol).
 */
@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class ValueMappingTest {
  private static Sessions.Open open;

  /**
   * @param type SQL type to cast to
   * @param literal the value as a SQL string literal body (single quotes are doubled here)
   * @param expected the Java value the driver must produce
   * @param param the parameter to send (usually {@code expected})
   */
  record Case(String type, String literal, Object expected, Object param) {
    @Override
    public String toString() {
      return type + " '" + literal + "'";
    }
  }

  static Case c(String type, String literal, Object expected) {
    return new Case(type, literal, expected, expected);
  }

  static Case c(String type, String literal, Object expected, Object param) {
    return new Case(type, literal, expected, param);
  }

  static PgArray arr(int elementOid, Object... elements) {
    return new PgArray(elementOid, Arrays.asList(elements));
  }

  /**
   * @param serverMajor the server's major version: infinite intervals came in 17, the octal
   *     {@code "char"} format for non-ASCII bytes in 15 (older servers: see the tests below)
   */
  static List<Case> cases(int serverMajor) {
    List<Case> l = new ArrayList<>();
    l.add(c("bool", "t", true));
    l.add(c("bool", "false", false));
    l.add(c("bytea", "\\x0001ff5c27", new byte[] {0, 1, (byte) 0xff, '\\', '\''}));
    l.add(c("bytea", "", new byte[0]));
    l.add(c("int2", "-32768", Short.MIN_VALUE));
    l.add(c("int2", "32767", Short.MAX_VALUE));
    l.add(c("int4", "-2147483648", Integer.MIN_VALUE));
    l.add(c("int4", "42", 42));
    l.add(c("int8", "9223372036854775807", Long.MAX_VALUE));
    l.add(c("int8", "-9223372036854775808", Long.MIN_VALUE));
    l.add(c("float4", "1.5", 1.5f));
    l.add(c("float4", "0.1", 0.1f));
    l.add(c("float4", "-0", -0.0f));
    l.add(c("float4", "3.4028235e38", Float.MAX_VALUE));
    l.add(c("float4", "1e-45", Float.MIN_VALUE));
    l.add(c("float4", "NaN", Float.NaN));
    l.add(c("float4", "Infinity", Float.POSITIVE_INFINITY));
    l.add(c("float4", "-Infinity", Float.NEGATIVE_INFINITY));
    l.add(c("float8", "3.141592653589793", Math.PI));
    l.add(c("float8", "0.1", 0.1d));
    l.add(c("float8", "4.9e-324", Double.MIN_VALUE));
    l.add(c("float8", "1.7976931348623157e308", Double.MAX_VALUE));
    l.add(c("float8", "NaN", Double.NaN));
    l.add(c("float8", "Infinity", Double.POSITIVE_INFINITY));
    l.add(c("float8", "-Infinity", Double.NEGATIVE_INFINITY));
    l.add(c("numeric", "123.4500", new BigDecimal("123.4500")));
    l.add(c("numeric", "-0.000001", new BigDecimal("-0.000001")));
    l.add(c("numeric", "0", BigDecimal.ZERO));
    l.add(c("numeric", "0.00", new BigDecimal("0.00")));
    l.add(c("numeric", "10000", new BigDecimal("10000")));
    l.add(c("numeric", "99999999999999999999999999999999999.000000000000000000001",
        new BigDecimal("99999999999999999999999999999999999.000000000000000000001")));
    l.add(c("numeric", "NaN", Double.NaN));
    l.add(c("numeric", "Infinity", Double.POSITIVE_INFINITY));
    l.add(c("numeric", "-Infinity", Double.NEGATIVE_INFINITY));
    l.add(c("text", "héllo ✓ 'q' \\ \"d\" 😀", "héllo ✓ 'q' \\ \"d\" 😀"));
    l.add(c("text", "", ""));
    l.add(c("varchar", "abc", "abc"));
    l.add(c("varchar(5)", "ab", "ab"));
    l.add(c("bpchar", "ab ", "ab "));
    l.add(c("char(4)", "ab", "ab  "));
    l.add(c("\"char\"", "x", "x"));
    l.add(c("name", "pg_class", "pg_class"));
    l.add(c("xml", "<a b=\"1\">x</a>", "<a b=\"1\">x</a>"));
    l.add(c("json", "{\"a\": [1, 2],  \"b\":null}", "{\"a\": [1, 2],  \"b\":null}"));
    l.add(c("jsonb", "{\"b\":null, \"a\": [1,2]}", "{\"a\": [1, 2], \"b\": null}",
        "{\"b\":null, \"a\": [1,2]}"));
    l.add(c("oid", "4294967295", 4294967295L));
    l.add(c("oid", "0", 0L));
    UUID u = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    l.add(c("uuid", u.toString(), u));
    l.add(c("uuid", "{A0EEBC99-9C0B4EF8-BB6D6BB9-BD380A11}", u));
    l.add(c("date", "2024-02-29", LocalDate.of(2024, 2, 29)));
    l.add(c("date", "infinity", LocalDate.MAX));
    l.add(c("date", "-infinity", LocalDate.MIN));
    l.add(c("date", "0044-03-15 BC", LocalDate.of(-43, 3, 15)));
    l.add(c("date", "4714-11-24 BC", LocalDate.of(-4713, 11, 24)));
    l.add(c("date", "5874897-12-31", LocalDate.of(5874897, 12, 31)));
    l.add(c("date", "2000-01-01", LocalDate.of(2000, 1, 1)));
    l.add(c("time", "13:05:06.123456", LocalTime.of(13, 5, 6, 123456000)));
    l.add(c("time", "00:00", LocalTime.MIDNIGHT));
    l.add(c("time", "24:00:00", LocalTime.MAX));
    l.add(c("timetz", "13:05:06.5+05:45", OffsetTime.of(13, 5, 6, 500_000_000, ZoneOffset.ofHoursMinutes(5, 45))));
    l.add(c("timetz", "23:59:59-03:30", OffsetTime.of(23, 59, 59, 0, ZoneOffset.ofHoursMinutes(-3, -30))));
    l.add(c("timetz", "00:00:00+00", OffsetTime.of(0, 0, 0, 0, ZoneOffset.UTC)));
    l.add(c("timestamp", "2024-03-10 02:30:00", LocalDateTime.of(2024, 3, 10, 2, 30)));
    l.add(c("timestamp", "1999-12-31 23:59:59.999999", LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000)));
    l.add(c("timestamp", "0044-03-15 12:00:00 BC", LocalDateTime.of(-43, 3, 15, 12, 0)));
    l.add(c("timestamp", "294276-12-31 23:59:59.999999", LocalDateTime.of(294276, 12, 31, 23, 59, 59, 999_999_000)));
    l.add(c("timestamp", "infinity", LocalDateTime.MAX));
    l.add(c("timestamp", "-infinity", LocalDateTime.MIN));
    l.add(c("timestamptz", "2024-03-10 02:30:00+00", OffsetDateTime.of(2024, 3, 10, 2, 30, 0, 0, ZoneOffset.UTC)));
    l.add(c("timestamptz", "2024-07-01 12:00:00.25+05:45",
        OffsetDateTime.of(2024, 7, 1, 6, 15, 0, 250_000_000, ZoneOffset.UTC),
        OffsetDateTime.of(2024, 7, 1, 12, 0, 0, 250_000_000, ZoneOffset.ofHoursMinutes(5, 45))));
    l.add(c("timestamptz", "1970-01-01 00:00:00+00", OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
        Instant.EPOCH));
    l.add(c("timestamptz", "0044-03-15 12:00:00+00 BC", OffsetDateTime.of(-43, 3, 15, 12, 0, 0, 0, ZoneOffset.UTC)));
    l.add(c("timestamptz", "infinity", OffsetDateTime.MAX));
    l.add(c("timestamptz", "-infinity", OffsetDateTime.MIN));
    l.add(c("interval", "1 year 2 mons -3 days 04:05:06.789", new PgInterval(14, -3, 14_706_789_000L)));
    l.add(c("interval", "-00:00:01", new PgInterval(0, 0, -1_000_000L)));
    l.add(c("interval", "0", new PgInterval(0, 0, 0)));
    l.add(c("interval", "-1 years -1 days -25:00:00.000001", new PgInterval(-12, -1, -90_000_000_001L)));
    if (serverMajor >= 17) {
      l.add(c("interval", "infinity", new PgInterval(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE)));
      l.add(c("interval", "-infinity", new PgInterval(Integer.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE)));
    }
    l.add(c("timetz", "12:00:00+05:41:16", OffsetTime.of(12, 0, 0, 0, ZoneOffset.ofHoursMinutesSeconds(5, 41, 16))));
    if (serverMajor >= 15) {
      l.add(c("\"char\"", "\\351", "\\351"));
    }
    // arrays
    l.add(c("int4[]", "[0:1]={1,2}", arr(23, 1, 2))); // lower bounds are not kept
    l.add(c("int4[]", "{1,NULL,3}", arr(23, 1, null, 3)));
    l.add(c("int4[]", "{{1,2},{3,4}}", arr(23, arr(23, 1, 2), arr(23, 3, 4))));
    l.add(c("int4[]", "{}", arr(23)));
    l.add(c("int2[]", "{{-1,NULL,2}}", arr(21, arr(21, (short) -1, null, (short) 2))));
    l.add(c("int8[]", "{9223372036854775807}", arr(20, Long.MAX_VALUE)));
    l.add(c("bool[]", "{t,f,NULL}", arr(16, true, false, null)));
    l.add(c("bytea[]", "{\"\\\\x00ff\",NULL}", arr(17, new byte[] {0, (byte) 0xff}, null)));
    l.add(c("float4[]", "{NaN,-Infinity,1.5}", arr(700, Float.NaN, Float.NEGATIVE_INFINITY, 1.5f)));
    l.add(c("float8[]", "{NaN,Infinity,0.1}", arr(701, Double.NaN, Double.POSITIVE_INFINITY, 0.1d)));
    l.add(c("numeric[]", "{1.50,NaN,-Infinity,NULL}", arr(1700, new BigDecimal("1.50"), Double.NaN,
        Double.NEGATIVE_INFINITY, null)));
    l.add(c("text[]", "{\"a b\",NULL,\"\",\"\\\"q\\\"\",\"NULL\",\"x,y\",\"{}\",\"\\\\\"}",
        arr(25, "a b", null, "", "\"q\"", "NULL", "x,y", "{}", "\\")));
    l.add(c("text[]", "{{a,NULL},{\"\",c}}", arr(25, arr(25, "a", null), arr(25, "", "c"))));
    l.add(c("text[]", "{}", arr(25)));
    l.add(c("varchar[]", "{x}", arr(1043, "x")));
    l.add(c("bpchar[]", "{ab}", arr(1042, "ab")));
    l.add(c("name[]", "{pg_class}", arr(19, "pg_class")));
    l.add(c("\"char\"[]", "{a,b}", arr(18, "a", "b")));
    l.add(c("json[]", "{\"{\\\"a\\\": 1}\"}", arr(114, "{\"a\": 1}")));
    l.add(c("jsonb[]", "{\"{\\\"a\\\": 1}\",NULL}", arr(3802, "{\"a\": 1}", null)));
    l.add(c("xml[]", "{<a/>}", arr(142, "<a/>")));
    l.add(c("oid[]", "{1,4294967295}", arr(26, 1L, 4294967295L)));
    l.add(c("uuid[]", "{" + u + ",NULL}", arr(2950, u, null)));
    l.add(c("date[]", "{2024-02-29,infinity,-infinity,\"0044-03-15 BC\"}", arr(1082, LocalDate.of(2024, 2, 29),
        LocalDate.MAX, LocalDate.MIN, LocalDate.of(-43, 3, 15))));
    l.add(c("time[]", "{13:05:06.5,NULL}", arr(1083, LocalTime.of(13, 5, 6, 500_000_000), null)));
    l.add(c("timetz[]", "{13:05:06+05:45}", arr(1266, OffsetTime.of(13, 5, 6, 0, ZoneOffset.ofHoursMinutes(5, 45)))));
    l.add(c("timestamp[]", "{\"2024-03-10 02:30:00\",infinity}", arr(1114, LocalDateTime.of(2024, 3, 10, 2, 30),
        LocalDateTime.MAX)));
    l.add(c("timestamptz[]", "{\"2024-03-10 02:30:00+00\",-infinity}", arr(1184,
        OffsetDateTime.of(2024, 3, 10, 2, 30, 0, 0, ZoneOffset.UTC), OffsetDateTime.MIN)));
    l.add(c("interval[]", "{\"1 day\",NULL}", arr(1186, new PgInterval(0, 1, 0), null)));
    l.add(c("int4[][]", "{{{1},{2}},{{3},{4}}}", arr(23, arr(23, arr(23, 1), arr(23, 2)),
        arr(23, arr(23, 3), arr(23, 4)))));
    return l;
  }

  @BeforeAll
  static void start() {
    open = Sessions.open();
  }

  @AfterAll
  static void stop() {
    if (open != null) {
      open.close();
    }
  }

  static String quote(String literal) {
    return "'" + literal.replace("'", "''") + "'";
  }

  @TestFactory
  Stream<DynamicTest> everyMappedTypeRoundTrips() {
    return cases(serverMajor()).stream().map(k -> DynamicTest.dynamicTest(k.toString(), () -> check(k)));
  }

  static int serverMajor() {
    String v = open.session().parameter("server_version");
    return Integer.parseInt(v.replaceAll("^(\\d+).*", "$1"));
  }

  @Test
  void infiniteIntervalIsAClearServerErrorBefore17() {
    assumeTrue(serverMajor() < 17, "PostgreSQL 17+ has infinite intervals (round-tripped above)");
    for (String literal : new String[] {"infinity", "-infinity"}) {
      ResultRecorder r = new ResultRecorder();
      open.session().execute(new SimpleQuery("SELECT " + quote(literal) + "::interval"), r);
      QueryFailure f = r.awaitFailure();
      assertThat(f).isInstanceOf(ErrorResponseMessage.class);
      assertThat(((ErrorResponseMessage) f).code()).as("%s", f).isEqualTo("22007"); // invalid_datetime_format
    }
  }

  @Test
  void nonAsciiCharBeforeFifteenIsTheFirstByteOfTheText() {
    assumeTrue(serverMajor() < 15, "PostgreSQL 15+ reads and writes '\\351' (round-tripped above)");
    // Before 15 "char" takes the first byte of its input: the octal form is just a backslash.
    Rows bin = prepared(open.session(), "SELECT $1::\"char\" AS v", "\\351");
    assertThat(bin.get(0).get(0)).isEqualTo("\\");
    Rows lit = prepared(open.session(), "SELECT '\\351'::\"char\" AS v");
    assertThat(lit.get(0).get(0)).isEqualTo("\\");
  }

  private void check(Case k) {
    // 1. binary parameter -> binary result
    Rows bin = prepared(open.session(), "SELECT $1::" + k.type() + " AS v", k.param());
    assertThat(bin.columns().get(0).format()).as("binary result format for %s", k).isEqualTo((short) 1);
    assertThat(same(bin.get(0).get(0), k.expected()))
        .as("binary parameter round trip of %s: got %s, want %s", k, show(bin.get(0).get(0)), show(k.expected()))
        .isTrue();
    // 2. literal -> binary result (decoding independent of our encoder)
    Rows lit = prepared(open.session(), "SELECT " + quote(k.literal()) + "::" + k.type() + " AS v");
    assertThat(lit.columns().get(0).format()).isEqualTo((short) 1);
    assertThat(same(lit.get(0).get(0), k.expected()))
        .as("binary result of literal %s: got %s, want %s", k, show(lit.get(0).get(0)), show(k.expected()))
        .isTrue();
    // 3. literal -> text result
    Rows text = simple(open.session(), "SELECT " + quote(k.literal()) + "::" + k.type() + " AS v");
    assertThat(text.columns().get(0).format()).isEqualTo((short) 0);
    assertThat(same(text.get(0).get(0), k.expected()))
        .as("text result of literal %s: got %s, want %s", k, show(text.get(0).get(0)), show(k.expected()))
        .isTrue();
  }
}
