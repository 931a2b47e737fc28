package org.pgsession.types;

/**
 * A PostgreSQL interval, kept in its three independent parts.
 *
 * @param months months (years are 12 months)
 * @param days days
 * @param microseconds time part in microseconds
 */
public record PgInterval(int months, int days, long microseconds) {}
