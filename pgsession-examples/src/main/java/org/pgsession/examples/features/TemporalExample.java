package org.pgsession.examples.features;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.pgsession.Row;
import org.pgsession.Session;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;
import org.pgsession.types.PgInterval;

/** Dates, times, time zones, intervals and infinity, mapped to java.time. */
public final class TemporalExample implements Example {
  @Override
  public String name() {
    return "temporal";
  }

  @Override
  public String summary() {
    return "date, timestamptz, interval and infinity as java.time values";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    try (Session session = env.open()) {
      OffsetDateTime launch = OffsetDateTime.of(2024, 2, 29, 12, 30, 0, 0, ZoneOffset.ofHours(2));
      Row row = ExampleEnv.await(session.query(
          "SELECT $1::timestamptz AS launch, $1::timestamptz + interval '1 month 2 days' AS later, "
              + "$2::date + 1 AS tomorrow, interval '1 year 2 hours' AS span, 'infinity'::date AS forever",
          launch, LocalDate.of(1999, 12, 31))).get(0);
      env.out().println("launch (UTC) = " + row.get("launch", OffsetDateTime.class));
      env.out().println("a month and two days later = " + row.get("later", OffsetDateTime.class));
      env.out().println("tomorrow = " + row.get("tomorrow", LocalDate.class));
      PgInterval span = row.get("span", PgInterval.class);
      env.out().println("span = " + span.months() + " months, " + span.microseconds() / 3_600_000_000L + " hours");
      env.out().println("infinity is LocalDate.MAX: " + LocalDate.MAX.equals(row.get("forever")));
    }
  }
}
