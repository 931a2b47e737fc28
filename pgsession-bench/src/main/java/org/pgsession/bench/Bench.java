package org.pgsession.bench;

import java.util.Map;

/**
 * One (client, workload) in a trial JVM. {@link TrialMain} calls {@link #open()} once, then for
 * every trial {@link #beforeTrial()} (untimed), {@link #trial()} (timed and metered) and
 * {@link #afterTrial(long)} (untimed checks), and finally {@link #close()}.
 */
public interface Bench extends AutoCloseable {

  /**
   * Opens connections and prepares whatever the workload keeps across trials.
   *
   * @throws Exception on failure (the run fails)
   */
  void open() throws Exception;

  /**
   * Untimed per-trial setup (TRUNCATE, fresh connections, ...).
   *
   * @throws Exception on failure
   */
  default void beforeTrial() throws Exception {
  }

  /**
   * Runs one timed trial and verifies its in-band checksum.
   *
   * @return the operations done (queries, rows or connections; see the workload)
   * @throws Exception on failure, including {@link Expected.ChecksumMismatch}
   */
  long trial() throws Exception;

  /**
   * Untimed checks after a trial (row counts in the table, ...).
   *
   * @param ops what {@link #trial()} returned
   * @throws Exception on failure, including {@link Expected.ChecksumMismatch}
   */
  default void afterTrial(long ops) throws Exception {
  }

  /**
   * Workload-specific measurements of the last trial (W6: heap per idle session, threads).
   *
   * @return name to value; empty by default
   */
  default Map<String, Long> extras() {
    return Map.of();
  }

  @Override
  void close() throws Exception;
}
