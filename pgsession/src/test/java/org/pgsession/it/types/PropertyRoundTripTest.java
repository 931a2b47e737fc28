package org.pgsession.it.types;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.pgsession.it.types.TypeSessions.prepared;
import static org.pgsession.it.types.TypeSessions.run;
import static org.pgsession.it.types.TypeSessions.same;
import static org.pgsession.it.types.TypeSessions.show;
import static org.pgsession.it.types.TypeSessions.simple;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TimeZone;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgTestExtension;
import org.pgsession.types.PgArray;

/**
 * Seeded property tests against the real server. Each property sends a few hundred random values
 * in one array parameter, stores them in a temporary table, and reads them back in binary
 * (extended protocol) and text (simple protocol). Set {@code -Dpgsession.seed=N} to replay.
 */
@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class PropertyRoundTripTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private final long seed = Long.getLong("pgsession.seed", System.nanoTime());
  private Random random;
  private TimeZone savedZone;
  private Sessions.Open open;

  @BeforeEach
  void setUp() {
    random = new Random(seed);
    savedZone = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone(NEW_YORK));
    open = Sessions.open();
    run(open.session(), "SET TimeZone = 'Asia/Kathmandu'");
  }

  @AfterEach
  void tearDown() {
    TimeZone.setDefault(savedZone);
    if (open != null) {
      open.close();
    }
  }

  private Session s() {
    return open.session();
  }

  /**
   * Sends values as one binary array parameter: checks the array round trip, stores the values,
   * and reads them back one per row in binary and in text.
   */
  private void roundTrip(String type, int elementOid, List<Object> values, Function<Object, Object> expect) {
    String table = "prop_" + type.replaceAll("[^a-z]", "");
    PgArray param = new PgArray(elementOid, values);
    Rows arr = prepared(s(), "SELECT $1::" + type + "[]", param);
    assertThat(arr.columns().get(0).format()).isEqualTo((short) 1);
    PgArray back = (PgArray) arr.get(0).get(0);
    assertThat(back.elements()).as("seed %d", seed).hasSize(values.size());
    for (int i = 0; i < values.size(); i++) {
      Object want = expect.apply(values.get(i));
      assertThat(same(back.elements().get(i), want))
          .as("seed %d: %s #%d array round trip of %s: got %s, want %s", seed, type, i, show(values.get(i)),
              show(back.elements().get(i)), show(want))
          .isTrue();
    }
    run(s(), "CREATE TEMP TABLE " + table + " (i bigint, v " + type + ")");
    prepared(s(), "INSERT INTO " + table + " SELECT o, v FROM unnest($1::" + type + "[]) WITH ORDINALITY AS u(v, o) "
        + "RETURNING i", param);
    String select = "SELECT v FROM " + table + " ORDER BY i";
    Rows bin = prepared(s(), select);
    Rows text = simple(s(), select);
    assertThat(bin.columns().get(0).format()).isEqualTo((short) 1);
    assertThat(text.columns().get(0).format()).isEqualTo((short) 0);
    assertThat(bin.size()).isEqualTo(values.size());
    assertThat(text.size()).isEqualTo(values.size());
    for (int i = 0; i < values.size(); i++) {
      Object want = expect.apply(values.get(i));
      assertThat(same(bin.get(i).get(0), want))
          .as("seed %d: %s #%d binary: sent %s, got %s, want %s", seed, type, i, show(values.get(i)),
              show(bin.get(i).get(0)), show(want))
          .isTrue();
      assertThat(same(text.get(i).get(0), want))
          .as("seed %d: %s #%d text: sent %s, got %s, want %s", seed, type, i, show(values.get(i)),
              show(text.get(i).get(0)), show(want))
          .isTrue();
    }
  }

  // ---------------------------------------------------------------- numeric

  private BigDecimal randomDecimal() {
    BigInteger unscaled;
    switch (random.nextInt(5)) {
      case 0:
        unscaled = BigInteger.valueOf(random.nextInt(10_000));
        break;
      case 1:
        unscaled = BigInteger.valueOf(random.nextLong());
        break;
      default:
        unscaled = new BigInteger(1 + random.nextInt(600), random);
        break;
    }
    if (random.nextInt(3) == 0) { // trailing zeros
      unscaled = unscaled.multiply(BigInteger.TEN.pow(1 + random.nextInt(30)));
    }
    if (random.nextBoolean()) {
      unscaled = unscaled.negate();
    }
    int scale;
    int digits = unscaled.abs().toString().length();
    switch (random.nextInt(4)) {
      case 0: // a value below 1
        scale = Math.min(1000, digits + random.nextInt(1000 - Math.min(digits, 999)));
        break;
      case 1:
        scale = -random.nextInt(1001);
        break;
      default:
        scale = random.nextInt(2001) - 1000;
        break;
    }
    return new BigDecimal(unscaled, scale);
  }

  @Test
  void randomNumericsRoundTripExactly() {
    List<Object> values = new ArrayList<>();
    values.add(BigDecimal.ZERO);
    values.add(new BigDecimal("0.0000"));
    values.add(new BigDecimal(BigInteger.ZERO, -5));
    values.add(new BigDecimal("0.0001"));
    values.add(new BigDecimal("-9999.9999"));
    values.add(new BigDecimal(BigInteger.ONE, 1000));
    values.add(new BigDecimal(BigInteger.ONE, -1000));
    for (int i = 0; i < 300; i++) {
      values.add(randomDecimal());
    }
    roundTrip("numeric", 1700, values, v -> {
      BigDecimal bd = (BigDecimal) v;
      return bd.scale() < 0 ? bd.setScale(0) : bd; // display scale is never negative
    });
    // equal by compareTo for every value, by equals when the scale is not negative: implied above
  }

  // ---------------------------------------------------------------- temporal

  private List<ZoneOffsetTransition> newYorkTransitions() {
    ZoneRules rules = NEW_YORK.getRules();
    List<ZoneOffsetTransition> out = new ArrayList<>();
    ZoneOffsetTransition t = rules.nextTransition(Instant.parse("1900-01-01T00:00:00Z"));
    while (t != null && t.getInstant().isBefore(Instant.parse("2040-01-01T00:00:00Z"))) {
      out.add(t);
      t = rules.nextTransition(t.getInstant());
    }
    return out;
  }

  private long micros(long lo, long hi) {
    return lo + (long) (random.nextDouble() * (hi - lo));
  }

  private LocalDateTime randomLocal(int minYear, int maxYear) {
    long lo = LocalDate.of(minYear, 1, 1).toEpochDay() * 86_400_000_000L;
    long hi = LocalDate.of(maxYear, 12, 31).toEpochDay() * 86_400_000_000L;
    long us = micros(lo, hi);
    if (random.nextBoolean()) {
      us -= Math.floorMod(us, 1_000_000L); // whole seconds too
    }
    return LocalDateTime.ofEpochSecond(Math.floorDiv(us, 1_000_000L), (int) Math.floorMod(us, 1_000_000L) * 1000,
        ZoneOffset.UTC);
  }

  /** Local times inside New York's DST gaps and overlaps. */
  private List<LocalDateTime> transitionLocals(int n) {
    List<ZoneOffsetTransition> ts = newYorkTransitions();
    List<LocalDateTime> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ZoneOffsetTransition t = ts.get(random.nextInt(ts.size()));
      long span = Math.abs(t.getDuration().getSeconds()) * 1_000_000L;
      LocalDateTime base = t.isGap() ? t.getDateTimeBefore() : t.getDateTimeAfter();
      out.add(base.plus(micros(0, span), ChronoUnit.MICROS));
    }
    return out;
  }

  @Test
  void randomTimestampsRoundTripExactly() {
    List<Object> values = new ArrayList<>(transitionLocals(100));
    for (int i = 0; i < 150; i++) {
      values.add(randomLocal(1800, 2100));
    }
    for (int i = 0; i < 40; i++) {
      values.add(randomLocal(-4700, 200_000));
    }
    values.add(LocalDateTime.MAX);
    values.add(LocalDateTime.MIN);
    values.add(LocalDateTime.of(2000, 1, 1, 0, 0));
    values.add(LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000));
    values.add(LocalDateTime.of(0, 12, 31, 23, 59, 59)); // 1 BC
    roundTrip("timestamp", 1114, values, v -> v);
  }

  @Test
  void randomTimestamptzRoundTripExactly() {
    List<Object> values = new ArrayList<>();
    for (LocalDateTime l : transitionLocals(100)) {
      ZonedDateTime z = l.atZone(NEW_YORK);
      z = random.nextBoolean() ? z.withEarlierOffsetAtOverlap() : z.withLaterOffsetAtOverlap();
      switch (random.nextInt(3)) {
        case 0: values.add(z.toOffsetDateTime()); break;
        case 1: values.add(z.toInstant()); break;
        default: values.add(z); break;
      }
    }
    // around Kathmandu's own changes (LMT +05:41:16 until 1920, +05:30 until 1986, then +05:45)
    for (String at : new String[] {"1919-12-31T18:18:44Z", "1985-12-31T18:30:00Z", "1920-01-01T00:00:00Z"}) {
      Instant t = Instant.parse(at);
      for (int d = -2; d <= 2; d++) {
        values.add(t.plusSeconds(d * 60L * 7).atOffset(ZoneOffset.UTC));
      }
    }
    for (int i = 0; i < 150; i++) {
      LocalDateTime l = randomLocal(i < 30 ? -4000 : 1800, i < 30 ? 9999 : 2100);
      ZoneOffset off = ZoneOffset.ofTotalSeconds((random.nextInt(2 * 14 * 4 + 1) - 14 * 4) * 15 * 60);
      values.add(OffsetDateTime.of(l, off));
    }
    values.add(OffsetDateTime.MAX);
    values.add(OffsetDateTime.MIN);
    values.add(Instant.EPOCH);
    roundTrip("timestamptz", 1184, values, v -> {
      if (v.equals(OffsetDateTime.MAX) || v.equals(OffsetDateTime.MIN)) {
        return v;
      }
      Instant i = v instanceof Instant in ? in : v instanceof ZonedDateTime z ? z.toInstant()
          : ((OffsetDateTime) v).toInstant();
      return i.atOffset(ZoneOffset.UTC);
    });
  }

  @Test
  void randomDatesRoundTripExactly() {
    List<Object> values = new ArrayList<>();
    for (LocalDateTime l : transitionLocals(50)) {
      values.add(l.toLocalDate());
    }
    long lo = LocalDate.of(-4713, 11, 24).toEpochDay();
    long hi = LocalDate.of(5874897, 12, 31).toEpochDay();
    for (int i = 0; i < 150; i++) {
      long d = i < 100 ? micros(LocalDate.of(1800, 1, 1).toEpochDay(), LocalDate.of(2100, 1, 1).toEpochDay())
          : micros(lo, hi + 1);
      values.add(LocalDate.ofEpochDay(d));
    }
    values.add(LocalDate.of(-4713, 11, 24));
    values.add(LocalDate.of(5874897, 12, 31));
    values.add(LocalDate.of(0, 2, 29)); // 1 BC, a leap year
    values.add(LocalDate.MAX);
    values.add(LocalDate.MIN);
    roundTrip("date", 1082, values, v -> v);
  }

  // ---------------------------------------------------------------- text arrays

  private static final String[] PIECES = {
    "\"", "\\", ",", "{", "}", " ", "'", "a", "Z", "NULL", "null", "é", "😀", "\t", "\n", "[1:2]=", "=", "(", ")",
    "\\\"", "x y", "0"};

  private String randomString() {
    switch (random.nextInt(12)) {
      case 0: return "";
      case 1: return "NULL";
      case 2: return " ";
      default:
        StringBuilder sb = new StringBuilder();
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
          sb.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }
  }

  private Object randomElement() {
    return random.nextInt(8) == 0 ? null : randomString();
  }

  private PgArray randomTextArray() {
    if (random.nextInt(4) == 0) { // two dimensions
      int rows = 1 + random.nextInt(3);
      int cols = 1 + random.nextInt(3);
      List<Object> outer = new ArrayList<>();
      for (int r = 0; r < rows; r++) {
        List<Object> inner = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
          inner.add(randomElement());
        }
        outer.add(new PgArray(25, inner));
      }
      return new PgArray(25, outer);
    }
    List<Object> l = new ArrayList<>();
    int n = random.nextInt(8);
    for (int i = 0; i < n; i++) {
      l.add(randomElement());
    }
    return new PgArray(25, l);
  }

  @Test
  void randomTextArraysRoundTripInBothFormats() {
    int n = 120;
    List<Object> arrays = new ArrayList<>();
    StringBuilder insert = new StringBuilder("INSERT INTO prop_textarrays VALUES ");
    for (int i = 0; i < n; i++) {
      arrays.add(randomTextArray());
      insert.append(i == 0 ? "" : ", ").append("(").append(i).append(", $").append(i + 1).append(")");
    }
    // binary round trip of all arrays at once
    StringBuilder select = new StringBuilder("SELECT ");
    for (int i = 0; i < n; i++) {
      select.append(i == 0 ? "" : ", ").append("$").append(i + 1).append("::text[]");
    }
    Rows direct = prepared(s(), select.toString(), arrays.toArray());
    for (int i = 0; i < n; i++) {
      assertThat(direct.columns().get(i).format()).isEqualTo((short) 1);
      assertThat(same(direct.get(0).get(i), arrays.get(i)))
          .as("seed %d: array #%d parameter round trip: got %s, want %s", seed, i, direct.get(0).get(i), arrays.get(i))
          .isTrue();
    }
    run(s(), "CREATE TEMP TABLE prop_textarrays (i int, a text[])");
    prepared(s(), insert + " RETURNING i", arrays.toArray());
    Rows bin = prepared(s(), "SELECT a FROM prop_textarrays ORDER BY i");
    Rows text = simple(s(), "SELECT a FROM prop_textarrays ORDER BY i");
    assertThat(bin.columns().get(0).format()).isEqualTo((short) 1);
    assertThat(text.columns().get(0).format()).isEqualTo((short) 0);
    for (int i = 0; i < n; i++) {
      assertThat(same(bin.get(i).get(0), arrays.get(i)))
          .as("seed %d: array #%d binary: got %s, want %s", seed, i, bin.get(i).get(0), arrays.get(i))
          .isTrue();
      assertThat(same(text.get(i).get(0), arrays.get(i)))
          .as("seed %d: array #%d text: got %s, want %s", seed, i, text.get(i).get(0), arrays.get(i))
          .isTrue();
    }
  }
}
