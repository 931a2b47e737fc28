package org.pgsession.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Describes the machine a run used: cores, CPU model, RAM, kernel, JDK, load. */
final class Machine {
  private Machine() {
  }

  static List<String> describe(String pgVersion) {
    List<String> m = new ArrayList<>();
    m.add("Date: " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " (UTC)");
    m.add("CPU: " + Runtime.getRuntime().availableProcessors() + " cores (nproc), " + cpuModel());
    m.add("RAM: " + memTotal());
    m.add("OS: Linux " + read("/proc/sys/kernel/osrelease").trim());
    m.add("JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.add("PostgreSQL: " + pgVersion + " (testkit, zonky binaries), loopback TCP, no TLS, SCRAM-SHA-256");
    m.add("pgsession: commit " + command("git", "describe", "--always", "--dirty", "--abbrev=9") + ", pgjdbc 42.7.8, Vert.x pg client 5.0.5");
    // The parent's choice is the children's unless bench.childJvmArgs sets -Dpgsession.transport.
    m.add("Socket transport: pgsession " + org.pgsession.internal.transport.EventLoops.transportName()
        + " (-Dpgsession.transport, default epoll), Vert.x epoll (its native transport), pgjdbc blocking java.net");
    return m;
  }

  /** The first line a command prints, or "?" if it cannot run. */
  private static String command(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.waitFor() == 0 && !out.isEmpty() ? out.lines().findFirst().orElse("?") : "?";
    } catch (IOException e) {
      return "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  static String loadAverage() {
    String[] f = read("/proc/loadavg").trim().split(" ");
    return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : "?";
  }

  /** @return {total, steal} ticks of /proc/stat's cpu line (all cores) */
  static long[] cpuTicks() {
    String[] f = read("/proc/stat").split("\n")[0].trim().split("\\s+");
    long total = 0;
    for (int i = 1; i < f.length && i <= 8; i++) {
      total += Long.parseLong(f[i]);
    }
    return new long[] {total, f.length > 8 ? Long.parseLong(f[8]) : 0};
  }

  /**
   * @param before {@link #cpuTicks()} at the start
   * @return the steal share of all cores' time since then, as text
   */
  static String stealSince(long[] before) {
    long[] now = cpuTicks();
    long total = now[0] - before[0];
    return total <= 0 ? "?" : String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * (now[1] - before[1]) / total);
  }

  static int clockTicks() {
    String out = command("getconf", "CLK_TCK");
    return out.matches("[0-9]+") ? Integer.parseInt(out) : 100;
  }

  private static String cpuModel() {
    for (String line : read("/proc/cpuinfo").split("\n")) {
      if (line.startsWith("model name")) {
        return line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return "unknown CPU model";
  }

  private static String memTotal() {
    for (String line : read("/proc/meminfo").split("\n")) {
      if (line.startsWith("MemTotal:")) {
        long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
        return String.format(java.util.Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
      }
    }
    return "unknown";
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      return "";
    }
  }
}
