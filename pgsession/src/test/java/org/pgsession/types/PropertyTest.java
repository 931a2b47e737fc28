package org.pgsession.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded random round trips; the seed is in every assertion message to reproduce failures. */
class PropertyTest {
  private final long seed = Long.getLong("pgsession.seed", System.nanoTime());
  private final Random rnd = new Random(seed);

  private BigDecimal randomDecimal() {
    int digits = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 200 : 20);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < digits; i++) {
      sb.append((char) ('0' + rnd.nextInt(10)));
    }
    if (rnd.nextInt(4) == 0) {
      sb.append("0".repeat(rnd.nextInt(12))); // trailing zeros
    }
    BigInteger unscaled = new BigInteger(sb.toString());
    if (rnd.nextBoolean()) {
      unscaled = unscaled.negate();
    }
    int scale;
    switch (rnd.nextInt(4)) {
      case 0: scale = rnd.nextInt(2001) - 1000; break;
      case 1: scale = sb.length() + rnd.nextInt(30); break; // values < 1
      case 2: scale = -rnd.nextInt(10); break;
      default: scale = rnd.nextInt(20); break;
    }
    return new BigDecimal(unscaled, scale);
  }

  @Test
  void numericBinaryRoundTrip() {
    for (int i = 0; i < 3000; i++) {
      BigDecimal v = randomDecimal();
      BigDecimal back = (BigDecimal) Wire.roundTrip(v);
      assertThat(back.compareTo(v)).as("seed %d value %s got %s", seed, v, back).isZero();
      if (v.scale() >= 0) {
        assertThat(back).as("seed %d value %s", seed, v).isEqualTo(v);
      } else {
        assertThat(back.scale()).as("seed %d value %s", seed, v).isZero();
      }
      // text as PostgreSQL prints it (plain notation, scale kept) decodes to the same value
      BigDecimal printed = v.scale() < 0 ? v.setScale(0) : v;
      assertThat(Wire.text(1700, printed.toPlainString())).as("seed %d value %s", seed, v)
          .isEqualTo(back);
    }
  }

  private LocalDateTime randomDateTime() {
    int year = rnd.nextInt(20) == 0 ? -rnd.nextInt(4000) : 1 + rnd.nextInt(9999);
    LocalDate d = LocalDate.of(year, 1, 1).plusDays(rnd.nextInt(366));
    long micros = (long) (rnd.nextDouble() * 86_400_000_000L);
    return d.atStartOfDay().plusNanos(micros * 1000);
  }

  private static String pgDate(LocalDate d) {
    int y = d.getYear();
    boolean bc = y <= 0;
    String ys = String.format("%04d", bc ? 1 - y : y);
    return ys + String.format("-%02d-%02d", d.getMonthValue(), d.getDayOfMonth());
  }

  private static String pgTime(LocalDateTime t) {
    String s = String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
    int us = t.getNano() / 1000;
    if (us != 0) {
      String f = String.format("%06d", us).replaceAll("0+$", "");
      s += "." + f;
    }
    return s;
  }

  private static String bc(LocalDate d) {
    return d.getYear() <= 0 ? " BC" : "";
  }

  @Test
  void temporalBinaryRoundTripAndText() {
    for (int i = 0; i < 2000; i++) {
      LocalDateTime t = randomDateTime();
      String msg = "seed " + seed + " value " + t;
      assertThat(Wire.roundTrip(t)).as(msg).isEqualTo(t);
      assertThat(Wire.roundTrip(t.toLocalDate())).as(msg).isEqualTo(t.toLocalDate());
      assertThat(Wire.text(1082, pgDate(t.toLocalDate()) + bc(t.toLocalDate()))).as(msg)
          .isEqualTo(t.toLocalDate());
      assertThat(Wire.text(1114, pgDate(t.toLocalDate()) + " " + pgTime(t) + bc(t.toLocalDate())))
          .as(msg).isEqualTo(t);
      // a random whole-minute or LMT-like offset, as a session TimeZone would print it
      int offSec = (rnd.nextInt(31) - 15) * 3600 + (rnd.nextBoolean() ? 0 : rnd.nextInt(3600));
      ZoneOffset off = ZoneOffset.ofTotalSeconds(offSec);
      OffsetDateTime odt = t.atOffset(off);
      OffsetDateTime utc = odt.withOffsetSameInstant(ZoneOffset.UTC);
      assertThat(Wire.roundTrip(odt)).as(msg).isEqualTo(utc);
      int a = Math.abs(offSec);
      String o = (offSec < 0 ? "-" : "+") + String.format("%02d", a / 3600);
      if (a % 3600 != 0) {
        o += String.format(":%02d", a / 60 % 60);
        if (a % 60 != 0) {
          o += String.format(":%02d", a % 60);
        }
      }
      String printed = pgDate(t.toLocalDate()) + " " + pgTime(t) + o + bc(t.toLocalDate());
      assertThat(Wire.text(1184, printed)).as(msg + " printed " + printed).isEqualTo(utc);
    }
  }

  private String randomElement() {
    String alphabet = "ab \"\\,{}'NUL\t\nü";
    int k = rnd.nextInt(8);
    switch (k) {
      case 0: return null;
      case 1: return "";
      case 2: return rnd.nextBoolean() ? "NULL" : "null";
      default:
        StringBuilder sb = new StringBuilder();
        int n = 1 + rnd.nextInt(6);
        for (int i = 0; i < n; i++) {
          sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
  }

  /** Formats like PostgreSQL's array_out. */
  static String pgArrayText(PgArray a) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < a.elements().size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      Object e = a.elements().get(i);
      if (e instanceof PgArray p) {
        sb.append(pgArrayText(p));
      } else if (e == null) {
        sb.append("NULL");
      } else {
        String s = (String) e;
        boolean quote = s.isEmpty() || s.equalsIgnoreCase("NULL");
        for (char c : s.toCharArray()) {
          quote |= "{}\",\\ \t\n\r\u000b\f".indexOf(c) >= 0;
        }
        if (!quote) {
          sb.append(s);
        } else {
          sb.append('"');
          for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
              sb.append('\\');
            }
            sb.append(c);
          }
          sb.append('"');
        }
      }
    }
    return sb.append('}').toString();
  }

  private PgArray randomArray(int oid, int[] dims, int d, java.util.function.Supplier<Object> gen) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < dims[d]; i++) {
      out.add(d + 1 < dims.length ? randomArray(oid, dims, d + 1, gen) : gen.get());
    }
    return new PgArray(oid, out);
  }

  private int[] randomDims() {
    int[] dims = new int[1 + rnd.nextInt(4)];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = 1 + rnd.nextInt(4);
    }
    return dims;
  }

  @Test
  void textArraysParseWhatPostgresPrints() {
    for (int i = 0; i < 1000; i++) {
      PgArray a = randomArray(25, randomDims(), 0, this::randomElement);
      String printed = pgArrayText(a);
      assertThat(Wire.text(1009, printed)).as("seed %d printed %s", seed, printed).isEqualTo(a);
      assertThat(Wire.roundTrip(a)).as("seed %d", seed).isEqualTo(a);
    }
  }

  @Test
  void nestedInt4ArraysBinary() {
    for (int i = 0; i < 1000; i++) {
      PgArray a = randomArray(23, randomDims(), 0,
          () -> rnd.nextInt(5) == 0 ? null : (Object) rnd.nextInt());
      assertThat(Wire.roundTrip(a)).as("seed %d value %s", seed, a).isEqualTo(a);
      assertThat(Wire.text(1007, pgArrayText(toText(a)))).as("seed %d", seed).isEqualTo(a);
    }
  }

  private static PgArray toText(PgArray a) {
    List<Object> out = new ArrayList<>();
    for (Object e : a.elements()) {
      out.add(e instanceof PgArray p ? toText(p) : e == null ? null : e.toString());
    }
    return new PgArray(a.elementOid(), out);
  }
}
