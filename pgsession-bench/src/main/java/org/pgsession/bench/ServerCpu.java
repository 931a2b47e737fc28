package org.pgsession.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * CPU time used by one PostgreSQL cluster: the postmaster's own and reaped children's time plus
 * the live children's (backends, walwriter, ...). Live processes are read from
 * {@code /proc/<pid>/schedstat} (nanoseconds): {@code /proc/<pid>/stat} counts in 10 ms ticks
 * truncated per process, which loses almost all of W6's 200 backends using a few ms each.
 * Backends that exit during a trial (W5) are counted through the postmaster's cutime/cstime
 * (ticks, summed before truncation) once reaped.
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
   * @return nanoseconds (exact for live processes; reaped children in 10 ms ticks)
   */
  public long nanos() {
    long nanos = reapedChildren(postmasterPid) * nanosPerTick + onCpu(postmasterPid);
    String children;
    try {
      children = Files.readString(Path.of("/proc", Long.toString(postmasterPid), "task",
          Long.toString(postmasterPid), "children"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot list the postmaster's children: " + e, e);
    }
    for (String pid : children.trim().split("\\s+")) {
      if (!pid.isEmpty()) {
        nanos += onCpu(Long.parseLong(pid));
      }
    }
    return nanos;
  }

  /** Time on a CPU of one live process (first field of schedstat); 0 if it is gone. */
  private static long onCpu(long pid) {
    String stat = procFile(pid, "schedstat");
    return stat == null ? 0 : Long.parseLong(stat.substring(0, stat.indexOf(' ')));
  }

  /** @return /proc/&lt;pid&gt;/&lt;name&gt;, or null if the process is gone */
  private static String procFile(long pid, String name) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), name));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/" + pid + "/" + name + ": " + e, e);
    }
  }

  /** cutime + cstime (ticks) of one process: its reaped children; 0 if it is gone. */
  private static long reapedChildren(long pid) {
    String stat = procFile(pid, "stat");
    if (stat == null) {
      return 0;
    }
    // Fields after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
    // utime stime cutime cstime ...
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[13]) + Long.parseLong(f[14]);
  }
}
