package org.pgsession.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pgsession.types.Wire.binary;
import static org.pgsession.types.Wire.hex;
import static org.pgsession.types.Wire.roundTrip;
import static org.pgsession.types.Wire.text;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TemporalCodecTest {

  @Test
  void dateEdgesAndText() {
    LocalDate[] edges = {LocalDate.of(2000, 1, 1), LocalDate.of(1999, 12, 31),
        LocalDate.of(2024, 2, 29), LocalDate.of(1, 1, 1), LocalDate.of(0, 12, 31),
        LocalDate.of(-4712, 11, 24), LocalDate.of(5874897, 12, 31), LocalDate.MAX, LocalDate.MIN};
    for (LocalDate d : edges) {
      assertThat(Wire.R.encode(d).oid()).isEqualTo(1082);
      assertThat(roundTrip(d)).as("%s", d).isEqualTo(d);
    }
    assertThat(text(1082, "2024-02-29")).isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(text(1082, "2000-01-01")).isEqualTo(binary(1082, hex("00000000")));
    assertThat(text(1082, "1999-12-31")).isEqualTo(binary(1082, hex("ffffffff")));
    assertThat(text(1082, "0044-03-15 BC")).isEqualTo(LocalDate.of(-43, 3, 15));
    assertThat(text(1082, "0001-12-31 BC")).isEqualTo(LocalDate.of(0, 12, 31));
    assertThat(text(1082, "5874897-12-31")).isEqualTo(LocalDate.of(5874897, 12, 31));
    assertThat(text(1082, "infinity")).isEqualTo(LocalDate.MAX).isEqualTo(binary(1082, hex("7fffffff")));
    assertThat(text(1082, "-infinity")).isEqualTo(LocalDate.MIN).isEqualTo(binary(1082, hex("80000000")));
    assertThatThrownBy(() -> text(1082, "2023-02-29")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> text(1082, "2023-02-2")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void timeAndTimetz() {
    for (LocalTime t : new LocalTime[] {LocalTime.MIDNIGHT, LocalTime.NOON,
        LocalTime.of(23, 59, 59, 999_999_000), LocalTime.MAX}) {
      assertThat(Wire.R.encode(t).oid()).isEqualTo(1083);
      assertThat(roundTrip(t)).isEqualTo(t);
    }
    assertThat(text(1083, "13:05:06.5")).isEqualTo(LocalTime.of(13, 5, 6, 500_000_000));
    assertThat(text(1083, "23:59:59.999999")).isEqualTo(LocalTime.of(23, 59, 59, 999_999_000));
    assertThat(text(1083, "24:00:00")).isEqualTo(LocalTime.MAX)
        .isEqualTo(binary(1083, hex("000000141dd76000")));
    assertThat(text(1083, "00:00:01")).isEqualTo(binary(1083, hex("00000000000f4240")));

    OffsetTime tz = OffsetTime.of(4, 5, 6, 789_000_000, ZoneOffset.ofHours(-8));
    assertThat(Wire.R.encode(tz).oid()).isEqualTo(1266);
    assertThat(roundTrip(tz)).isEqualTo(tz);
    assertThat(text(1266, "04:05:06.789-08")).isEqualTo(tz);
    // zone is stored as seconds WEST of UTC: -08 -> +28800
    assertThat(Wire.R.encode(tz).bytes()).endsWith(hex("00007080"));
    assertThat(text(1266, "04:05:06+05:30"))
        .isEqualTo(OffsetTime.of(4, 5, 6, 0, ZoneOffset.ofHoursMinutes(5, 30)));
    assertThat(text(1266, "04:05:06+00:53:28"))
        .isEqualTo(OffsetTime.of(4, 5, 6, 0, ZoneOffset.ofTotalSeconds(53 * 60 + 28)));
    assertThat(roundTrip(OffsetTime.of(0, 0, 0, 0, ZoneOffset.ofTotalSeconds(-(15 * 3600 + 59 * 60)))))
        .isEqualTo(text(1266, "00:00:00-15:59"));
  }

  @Test
  void timestampEdgesAndText() {
    LocalDateTime[] edges = {LocalDateTime.of(2000, 1, 1, 0, 0), LocalDateTime.of(1999, 12, 31,
        23, 59, 59, 999_999_000), LocalDateTime.of(-4712, 1, 1, 0, 0),
        LocalDateTime.of(294276, 12, 31, 23, 59, 59, 999_999_000), LocalDateTime.MAX,
        LocalDateTime.MIN};
    for (LocalDateTime t : edges) {
      assertThat(Wire.R.encode(t).oid()).isEqualTo(1114);
      assertThat(roundTrip(t)).as("%s", t).isEqualTo(t);
    }
    assertThat(text(1114, "2024-03-10 01:59:59.123456"))
        .isEqualTo(LocalDateTime.of(2024, 3, 10, 1, 59, 59, 123_456_000));
    assertThat(text(1114, "2000-01-01 00:00:01")).isEqualTo(binary(1114, hex("00000000000f4240")));
    assertThat(text(1114, "0044-03-15 10:00:00 BC")).isEqualTo(LocalDateTime.of(-43, 3, 15, 10, 0));
    assertThat(text(1114, "infinity")).isEqualTo(LocalDateTime.MAX)
        .isEqualTo(binary(1114, hex("7fffffffffffffff")));
    assertThat(text(1114, "-infinity")).isEqualTo(LocalDateTime.MIN)
        .isEqualTo(binary(1114, hex("8000000000000000")));
  }

  @Test
  void timestamptzTextIsConvertedToUtcWhateverTheSessionZone() {
    OffsetDateTime utc = OffsetDateTime.of(2024, 3, 10, 6, 59, 59, 123_456_000, ZoneOffset.UTC);
    assertThat(text(1184, "2024-03-10 01:59:59.123456-05")).isEqualTo(utc);
    assertThat(text(1184, "2024-03-10 06:59:59.123456+00")).isEqualTo(utc);
    assertThat(text(1184, "2024-03-10 12:29:59.123456+05:30")).isEqualTo(utc);
    assertThat(text(1184, "1850-01-01 00:00:00+00:53:28"))
        .isEqualTo(OffsetDateTime.of(1849, 12, 31, 23, 6, 32, 0, ZoneOffset.UTC));
    assertThat(text(1184, "0044-03-15 12:00:00+00:53:28 BC"))
        .isEqualTo(OffsetDateTime.of(-43, 3, 15, 11, 6, 32, 0, ZoneOffset.UTC));
    assertThat(text(1184, "2000-01-01 00:00:00+00")).isEqualTo(binary(1184, hex("0000000000000000")));
    assertThat(text(1184, "infinity")).isEqualTo(OffsetDateTime.MAX)
        .isEqualTo(binary(1184, hex("7fffffffffffffff")));
    assertThat(text(1184, "-infinity")).isEqualTo(OffsetDateTime.MIN);
    assertThat(roundTrip(utc)).isEqualTo(utc);
    OffsetDateTime ny = utc.withOffsetSameInstant(ZoneOffset.ofHours(-5));
    assertThat(Wire.R.encode(ny).oid()).isEqualTo(1184);
    assertThat(roundTrip(ny)).isEqualTo(utc);
    assertThat(roundTrip(OffsetDateTime.MAX)).isEqualTo(OffsetDateTime.MAX);
    assertThat(roundTrip(OffsetDateTime.MIN)).isEqualTo(OffsetDateTime.MIN);
    Instant i = Instant.parse("1969-07-20T20:17:40.000001Z");
    assertThat(Wire.R.encode(i).oid()).isEqualTo(1184);
    assertThat(roundTrip(i)).isEqualTo(i.atOffset(ZoneOffset.UTC));
  }

  @Test
  void subMicrosecondValuesAreRejectedNotTruncated() {
    assertThatThrownBy(() -> Wire.R.encode(LocalDateTime.of(2024, 1, 1, 0, 0, 0, 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2024-01-01T00:00:00.000000001");
    assertThatThrownBy(() -> Wire.R.encode(Instant.ofEpochSecond(0, 1500)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Wire.R.encode(LocalTime.of(1, 0, 0, 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void interval() {
    PgInterval[] edges = {new PgInterval(0, 0, 0), new PgInterval(14, -3, 14_706_789_000L),
        new PgInterval(-14, 3, -14_706_000_000L), new PgInterval(Integer.MAX_VALUE,
        Integer.MAX_VALUE, Long.MAX_VALUE), new PgInterval(Integer.MIN_VALUE, Integer.MIN_VALUE,
        Long.MIN_VALUE)};
    for (PgInterval i : edges) {
      assertThat(Wire.R.encode(i).oid()).isEqualTo(1186);
      assertThat(roundTrip(i)).isEqualTo(i);
    }
    assertThat(text(1186, "1 year 2 mons -3 days +04:05:06.789")).isEqualTo(edges[1]);
    assertThat(text(1186, "-1 years -2 mons +3 days -04:05:06")).isEqualTo(edges[2]);
    assertThat(text(1186, "00:00:00")).isEqualTo(edges[0]);
    assertThat(text(1186, "-00:00:01")).isEqualTo(new PgInterval(0, 0, -1_000_000));
    assertThat(text(1186, "1 day")).isEqualTo(new PgInterval(0, 1, 0));
    assertThat(text(1186, "2562047788:00:54.775807")).isEqualTo(new PgInterval(0, 0, Long.MAX_VALUE));
    assertThat(text(1186, "-2562047788:00:54.775808")).isEqualTo(new PgInterval(0, 0, Long.MIN_VALUE));
    assertThat(text(1186, "infinity")).isEqualTo(edges[3]);
    assertThat(text(1186, "-infinity")).isEqualTo(edges[4]);
    assertThat(binary(1186, hex("00000000000f4240" + "00000002" + "0000000e")))
        .isEqualTo(text(1186, "1 year 2 mons 2 days 00:00:01"));
    assertThatThrownBy(() -> text(1186, "1 fortnight")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> text(1186, "3000000000 days")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void malformedTemporalBinary() {
    assertThatThrownBy(() -> binary(1082, new byte[3])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> binary(1083, hex("000000141dd76001")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> binary(1266, new byte[8])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> text(1184, "2024-03-10 01:59:59")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> text(1114, "2024-03-10T01:59:59")).isInstanceOf(IllegalArgumentException.class);
  }
}
