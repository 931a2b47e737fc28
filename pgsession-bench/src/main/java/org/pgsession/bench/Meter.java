package org.pgsession.bench;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Measures one trial: wall time, this JVM's CPU time, the server's CPU time and the bytes all
 * threads allocated (the async clients decode on their event-loop threads, so the allocation
 * counters of every thread are summed, not just the caller's).
 */
public final class Meter {
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private final ServerCpu server;
  private final long nanosPerTick;

  /**
   * @param conf where the postmaster's pid comes from
   */
  public Meter(Conf conf) {
    this.server = new ServerCpu(conf.postmasterPid(), conf.clockTicks());
    this.nanosPerTick = 1_000_000_000L / conf.clockTicks();
    threads.setThreadAllocatedMemoryEnabled(true);
  }

  /**
   * Runs one trial of {@code bench} (setup and checks untimed) and measures it.
   *
   * @param bench the benchmark
   * @return the measurements; keys ops, nanos, clientCpu, serverCpu, alloc, steal (CPU time the
   *     hypervisor gave other guests, all cores, from /proc/stat) and the extras
   * @throws Exception if the trial fails
   */
  public Map<String, Long> trial(Bench bench) throws Exception {
    bench.beforeTrial();
    long s0 = server.nanos();
    long st0 = Machine.cpuTicks()[1];
    long a0 = allocated();
    long c0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    long ops = bench.trial();
    long t1 = System.nanoTime();
    long c1 = os.getProcessCpuTime();
    long a1 = allocated();
    long st1 = Machine.cpuTicks()[1];
    Thread.sleep(50); // let exiting backends be reaped so their CPU lands in this trial
    long s1 = server.nanos();
    bench.afterTrial(ops);
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("ops", ops);
    m.put("nanos", t1 - t0);
    m.put("clientCpu", c1 - c0);
    m.put("serverCpu", s1 - s0);
    m.put("alloc", a1 - a0);
    m.put("steal", (st1 - st0) * nanosPerTick);
    m.putAll(bench.extras());
    return m;
  }

  private long allocated() {
    long sum = 0;
    for (long b : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      if (b > 0) {
        sum += b;
      }
    }
    return sum;
  }
}
