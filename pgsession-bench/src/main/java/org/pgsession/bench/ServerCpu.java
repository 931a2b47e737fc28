package org.pgsession.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * CPU time used by one PostgreSQL cluster: the postmaster's own and reaped children's time plus
 * the live children's (backends, walwriter, ...), read from {@code /proc/<pid>/stat}. Backends
 * that exit during a trial (W5) are counted through the postmaster's cutime/cstime once reaped.
 */
public final class ServerCpu {
  private final long postmasterPid;
  private final long nanosPerTick;

  /**
   * @param postmasterPid the postmaster
   * @param clockTicks the kernel's USER_HZ ({@code getconf CLK_TCK})
   */
  public ServerCpu(long postmasterPid, int clockTicks) {
    this.postmasterPid = postmasterPid;
    this.nanosPerTick = 1_000_000_000L / clockTicks;
  }

  /**
   * The cluster's total CPU time so far.
   *
   * @return nanoseconds (10 ms resolution on most kernels)
   */
  public long nanos() {
    long ticks = times(postmasterPid);
    String children;
    try {
      children = Files.readString(Path.of("/proc", Long.toString(postmasterPid), "task",
          Long.toString(postmasterPid), "children"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot list the postmaster's children: " + e, e);
    }
    for (String pid : children.trim().split("\\s+")) {
      if (!pid.isEmpty()) {
        ticks += times(Long.parseLong(pid));
      }
    }
    return ticks * nanosPerTick;
  }

  /** utime + stime + cutime + cstime of one process; 0 if it is gone. */
  private static long times(long pid) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/" + pid + "/stat: " + e, e);
    }
    // Fields after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
    // utime stime cutime cstime ...
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
  }
}
