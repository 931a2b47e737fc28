package org.pgsession;

/**
 * A snapshot of a {@link PgPool}.
 *
 * @param total sessions open now (idle plus borrowed; sessions being opened are not counted)
 * @param idle sessions waiting to be borrowed
 * @param inUse sessions borrowed now
 * @param waiting borrowers waiting for a session
 * @param acquired sessions handed to borrowers since the pool was created
 * @param created sessions opened since the pool was created
 * @param closed sessions closed or found dead since the pool was created
 * @param acquireTimeouts borrowers that gave up after the acquire timeout
 */
public record PoolStats(int total, int idle, int inUse, int waiting,
                        long acquired, long created, long closed, long acquireTimeouts) {}
