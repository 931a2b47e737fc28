package org.pgsession.internal.codec;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * date, time, timetz, timestamp and timestamptz. Binary values count from 2000-01-01 in
 * microseconds (days for date); the extreme int/long values are +-infinity, mapped to the
 * MAX/MIN constants of the Java type. Values with sub-microsecond precision are rejected when
 * encoding rather than silently truncated. {@code time '24:00:00'} maps to {@link LocalTime#MAX}.
 */
public final class TemporalTypes {
  private TemporalTypes() {}

  /** Days from 1970-01-01 to 2000-01-01. */
  static final long PG_EPOCH_DAY = 10957;
  /** Microseconds per day. */
  static final long DAY_US = 86_400_000_000L;
  /** Seconds from 1970-01-01 to 2000-01-01 (UTC). */
  static final long PG_EPOCH_SECONDS = PG_EPOCH_DAY * 86400;

  /** date (1082). */
  public static final PgType DATE = new PgType() {
    @Override public String name() {
      return "date";
    }

    @Override public Object decodeBinary(ByteBuffer b) {
      Bufs.exactly(b, 4, "date");
      int d = b.getInt(0);
      if (d == Integer.MAX_VALUE) {
        return LocalDate.MAX;
      }
      if (d == Integer.MIN_VALUE) {
        return LocalDate.MIN;
      }
      return LocalDate.ofEpochDay(PG_EPOCH_DAY + d);
    }

    @Override public Object decodeText(String s) {
      switch (s) {
        case "infinity": return LocalDate.MAX;
        case "-infinity": return LocalDate.MIN;
        default: return DateTimeText.date(s);
      }
    }

    @Override public byte[] encodeBinary(Object v) {
      if (!(v instanceof LocalDate d)) {
        throw Bufs.wrongType("date", v);
      }
      int days;
      if (d.equals(LocalDate.MAX)) {
        days = Integer.MAX_VALUE;
      } else if (d.equals(LocalDate.MIN)) {
        days = Integer.MIN_VALUE;
      } else {
        long x = d.toEpochDay() - PG_EPOCH_DAY;
        if (x >= Integer.MAX_VALUE || x <= Integer.MIN_VALUE) {
          throw new IllegalArgumentException("date out of range: " + d);
        }
        days = (int) x;
      }
      return ByteBuffer.allocate(4).putInt(days).array();
    }
  };

  /** time (1083). */
  public static final PgType TIME = new PgType() {
    @Override public String name() {
      return "time";
    }

    @Override public Object decodeBinary(ByteBuffer b) {
      Bufs.exactly(b, 8, "time");
      return timeOfMicros(b.getLong(0), "time");
    }

    @Override public Object decodeText(String s) {
      return DateTimeText.time(s);
    }

    @Override public byte[] encodeBinary(Object v) {
      if (!(v instanceof LocalTime t)) {
        throw Bufs.wrongType("time", v);
      }
      return ByteBuffer.allocate(8).putLong(microsOfTime(t, v)).array();
    }
  };

  /** timetz (1266): int64 microseconds, int32 zone offset in seconds west of UTC. */
  public static final PgType TIMETZ = new PgType() {
    @Override public String name() {
      return "timetz";
    }

    @Override public Object decodeBinary(ByteBuffer b) {
      Bufs.exactly(b, 12, "timetz");
      LocalTime t = timeOfMicros(b.getLong(0), "timetz");
      int west = b.getInt(8);
      if (west < -18 * 3600 || west > 18 * 3600) {
        throw Bufs.malformed("timetz", "zone offset " + west + "s out of range");
      }
      return OffsetTime.of(t, ZoneOffset.ofTotalSeconds(-west));
    }

    @Override public Object decodeText(String s) {
      return DateTimeText.timetz(s);
    }

    @Override public byte[] encodeBinary(Object v) {
      if (!(v instanceof OffsetTime t)) {
        throw Bufs.wrongType("timetz", v);
      }
      return ByteBuffer.allocate(12).putLong(microsOfTime(t.toLocalTime(), v))
          .putInt(-t.getOffset().getTotalSeconds()).array();
    }
  };

  /** timestamp (1114). */
  public static final PgType TIMESTAMP = new PgType() {
    @Override public String name() {
      return "timestamp";
    }

    @Override public Object decodeBinary(ByteBuffer b) {
      Bufs.exactly(b, 8, "timestamp");
      long us = b.getLong(0);
      if (us == Long.MAX_VALUE) {
        return LocalDateTime.MAX;
      }
      if (us == Long.MIN_VALUE) {
        return LocalDateTime.MIN;
      }
      return localOfMicros(us);
    }

    @Override public Object decodeText(String s) {
      switch (s) {
        case "infinity": return LocalDateTime.MAX;
        case "-infinity": return LocalDateTime.MIN;
        default: return DateTimeText.timestamp(s);
      }
    }

    @Override public byte[] encodeBinary(Object v) {
      if (!(v instanceof LocalDateTime t)) {
        throw Bufs.wrongType("timestamp", v);
      }
      long us;
      if (t.equals(LocalDateTime.MAX)) {
        us = Long.MAX_VALUE;
      } else if (t.equals(LocalDateTime.MIN)) {
        us = Long.MIN_VALUE;
      } else {
        us = micros(t.toLocalDate().toEpochDay(), t.toLocalTime().toNanoOfDay(), v);
      }
      return ByteBuffer.allocate(8).putLong(us).array();
    }
  };

  /** timestamptz (1184): decoded as OffsetDateTime at UTC. */
  public static final PgType TIMESTAMPTZ = new PgType() {
    @Override public String name() {
      return "timestamptz";
    }

    @Override public Object decodeBinary(ByteBuffer b) {
      Bufs.exactly(b, 8, "timestamptz");
      long us = b.getLong(0);
      if (us == Long.MAX_VALUE) {
        return OffsetDateTime.MAX;
      }
      if (us == Long.MIN_VALUE) {
        return OffsetDateTime.MIN;
      }
      return localOfMicros(us).atOffset(ZoneOffset.UTC);
    }

    @Override public Object decodeText(String s) {
      switch (s) {
        case "infinity": return OffsetDateTime.MAX;
        case "-infinity": return OffsetDateTime.MIN;
        default: return DateTimeText.timestamptz(s);
      }
    }

    @Override public byte[] encodeBinary(Object v) {
      long us;
      if (v.equals(OffsetDateTime.MAX) || v.equals(Instant.MAX)) {
        us = Long.MAX_VALUE;
      } else if (v.equals(OffsetDateTime.MIN) || v.equals(Instant.MIN)) {
        us = Long.MIN_VALUE;
      } else {
        Instant i;
        if (v instanceof OffsetDateTime o) {
          i = o.toInstant();
        } else if (v instanceof Instant in) {
          i = in;
        } else if (v instanceof ZonedDateTime z) {
          i = z.toInstant();
        } else {
          throw Bufs.wrongType("timestamptz", v);
        }
        long secs = i.getEpochSecond();
        us = micros(Math.floorDiv(secs, 86400), Math.floorMod(secs, 86400) * 1_000_000_000L
            + i.getNano(), v);
      }
      return ByteBuffer.allocate(8).putLong(us).array();
    }
  };

  private static long micros(long epochDay, long nanoOfDay, Object orig) {
    if (nanoOfDay % 1000 != 0) {
      throw new IllegalArgumentException("value has sub-microsecond precision, which "
          + "PostgreSQL cannot store: " + orig);
    }
    try {
      return Math.addExact(Math.multiplyExact(epochDay - PG_EPOCH_DAY, DAY_US), nanoOfDay / 1000);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("timestamp out of range: " + orig);
    }
  }

  private static LocalDateTime localOfMicros(long us) {
    long day = Math.floorDiv(us, DAY_US);
    long rem = Math.floorMod(us, DAY_US);
    return LocalDate.ofEpochDay(PG_EPOCH_DAY + day).atTime(LocalTime.ofNanoOfDay(rem * 1000));
  }

  private static LocalTime timeOfMicros(long us, String what) {
    if (us == DAY_US) {
      return LocalTime.MAX;
    }
    if (us < 0 || us > DAY_US) {
      throw Bufs.malformed(what, "microseconds " + us + " out of range");
    }
    return LocalTime.ofNanoOfDay(us * 1000);
  }

  private static long microsOfTime(LocalTime t, Object orig) {
    if (t.equals(LocalTime.MAX)) {
      return DAY_US;
    }
    long n = t.toNanoOfDay();
    if (n % 1000 != 0) {
      throw new IllegalArgumentException("value has sub-microsecond precision, which "
          + "PostgreSQL cannot store: " + orig);
    }
    return n / 1000;
  }
}
