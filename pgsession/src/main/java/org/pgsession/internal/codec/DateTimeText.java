package org.pgsession.internal.codec;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;

/**
 * Parses the text forms the server prints with {@code DateStyle=ISO}: {@code 2024-03-10},
 * {@code 0044-03-15 BC}, {@code 13:05:06.5}, {@code 2024-03-10 01:59:59.123456-05},
 * {@code +05:30}, {@code +00:53:28}, {@code infinity}. One parser per string, not thread-safe.
 */
final class DateTimeText {
  private final String s;
  private final String what;
  private int pos;

  private DateTimeText(String s, String what) {
    this.s = s;
    this.what = what;
  }

  static LocalDate date(String s) {
    DateTimeText p = new DateTimeText(s, "date");
    int[] ymd = p.ymd();
    boolean bc = p.bc();
    p.end();
    return p.toDate(ymd, bc);
  }

  static LocalTime time(String s) {
    DateTimeText p = new DateTimeText(s, "time");
    LocalTime t = p.hms();
    p.end();
    return t;
  }

  static OffsetTime timetz(String s) {
    DateTimeText p = new DateTimeText(s, "timetz");
    LocalTime t = p.hms();
    ZoneOffset off = p.offset();
    p.end();
    return OffsetTime.of(t, off);
  }

  static LocalDateTime timestamp(String s) {
    DateTimeText p = new DateTimeText(s, "timestamp");
    int[] ymd = p.ymd();
    p.expect(' ');
    LocalTime t = p.hms();
    boolean bc = p.bc();
    p.end();
    return p.toDateTime(ymd, t, bc);
  }

  static OffsetDateTime timestamptz(String s) {
    DateTimeText p = new DateTimeText(s, "timestamptz");
    int[] ymd = p.ymd();
    p.expect(' ');
    LocalTime t = p.hms();
    ZoneOffset off = p.offset();
    boolean bc = p.bc();
    p.end();
    try {
      return OffsetDateTime.of(p.toDateTime(ymd, t, bc), off)
          .withOffsetSameInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      throw p.fail();
    }
  }

  private LocalDate toDate(int[] ymd, boolean bc) {
    try {
      return LocalDate.of(bc ? 1 - ymd[0] : ymd[0], ymd[1], ymd[2]);
    } catch (DateTimeException e) {
      throw fail();
    }
  }

  private LocalDateTime toDateTime(int[] ymd, LocalTime t, boolean bc) {
    if (t == LocalTime.MAX) {
      // 24:00:00 is the next day's midnight
      return toDate(ymd, bc).plusDays(1).atStartOfDay();
    }
    return toDate(ymd, bc).atTime(t);
  }

  private IllegalArgumentException fail() {
    return Bufs.malformed(what, Bufs.abbreviate(s));
  }

  private int[] ymd() {
    int y = number(1, 9);
    expect('-');
    int m = number(2, 2);
    expect('-');
    int d = number(2, 2);
    if (y == 0) {
      throw fail();
    }
    return new int[] {y, m, d};
  }

  private LocalTime hms() {
    int h = number(2, 2);
    expect(':');
    int mi = number(2, 2);
    expect(':');
    int se = number(2, 2);
    int nanos = 0;
    if (pos < s.length() && s.charAt(pos) == '.') {
      pos++;
      int start = pos;
      int f = number(1, 9);
      for (int i = pos - start; i < 9; i++) {
        f *= 10;
      }
      nanos = f;
    }
    if (h == 24 && mi == 0 && se == 0 && nanos == 0) {
      return LocalTime.MAX;
    }
    try {
      return LocalTime.of(h, mi, se, nanos);
    } catch (DateTimeException e) {
      throw fail();
    }
  }

  private ZoneOffset offset() {
    if (pos >= s.length() || (s.charAt(pos) != '+' && s.charAt(pos) != '-')) {
      throw fail();
    }
    int sign = s.charAt(pos++) == '-' ? -1 : 1;
    int h = number(2, 2);
    int m = 0;
    int sec = 0;
    if (pos < s.length() && s.charAt(pos) == ':') {
      pos++;
      m = number(2, 2);
      if (pos < s.length() && s.charAt(pos) == ':') {
        pos++;
        sec = number(2, 2);
      }
    }
    if (m > 59 || sec > 59) {
      throw fail();
    }
    try {
      return ZoneOffset.ofTotalSeconds(sign * (h * 3600 + m * 60 + sec));
    } catch (DateTimeException e) {
      throw fail();
    }
  }

  private boolean bc() {
    if (s.startsWith(" BC", pos)) {
      pos += 3;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (pos >= s.length() || s.charAt(pos) != c) {
      throw fail();
    }
    pos++;
  }

  private void end() {
    if (pos != s.length()) {
      throw fail();
    }
  }

  private int number(int min, int max) {
    int start = pos;
    int v = 0;
    while (pos < s.length() && pos - start < max) {
      char c = s.charAt(pos);
      if (c < '0' || c > '9') {
        break;
      }
      v = v * 10 + (c - '0');
      pos++;
    }
    if (pos - start < min) {
      throw fail();
    }
    return v;
  }
}
