package org.pgsession.bench;

import java.util.Map;

/**
 * W6 for any client: open {@code w6Sessions} connections (untimed), idle 0.5 s, measure the heap
 * per idle connection and the threads, then (timed) every connection runs {@code w6Queries}
 * point queries, all connections at once. Subclasses open, run and close.
 */
abstract class ManySessionsBench implements Bench {
  final Conf conf;
  private long heapPerSession;
  private long idleThreads;
  private long peakThreads;

  ManySessionsBench(Conf conf) {
    this.conf = conf;
  }

  /** Opens {@code conf.w6Sessions()} connections and waits until all are ready. */
  abstract void openAll() throws Exception;

  /**
   * Runs {@code conf.w6Queries()} point queries on every connection, verifying each one's
   * checksum.
   *
   * @return the total number of queries answered
   */
  abstract long runAll() throws Exception;

  /** Closes every connection and waits. */
  abstract void closeAll() throws Exception;

  /** The first key of connection {@code i}'s sequence, so connections read different rows. */
  static int firstKey(int i) {
    return (i * 50) % Conf.POINT_KEYS;
  }

  @Override
  public void open() throws Exception {
  }

  @Override
  public void beforeTrial() throws Exception {
    long before = HeapProbe.liveHeap();
    openAll();
    Thread.sleep(500);
    heapPerSession = (HeapProbe.liveHeap() - before) / conf.w6Sessions();
    idleThreads = HeapProbe.threads();
    HeapProbe.resetPeak();
  }

  @Override
  public long trial() throws Exception {
    long n = runAll();
    peakThreads = HeapProbe.peakThreads();
    return n;
  }

  @Override
  public void afterTrial(long ops) throws Exception {
    closeAll();
  }

  @Override
  public Map<String, Long> extras() {
    return Map.of("heapPerSession", heapPerSession, "idleThreads", idleThreads, "peakThreads", peakThreads);
  }

  @Override
  public void close() throws Exception {
    closeAll();
  }
}
