package org.pgsession.bench;

import java.util.List;

/**
 * Finds the smallest {@code -Xmx} (from a fixed ladder) at which a client streams the W3 query
 * over {@code heapRows} rows with the right checksum, by binary search with one fresh JVM per
 * probe. Assumes that a client that completes with N MB also completes with more.
 */
final class HeapSearch {
  /** The ladder of heap sizes tried, in MB. */
  static final int[] LADDER_MB = {8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256};
  /** Index of 16 MB, the goal for pgsession. */
  private static final int GOAL_INDEX = 2;

  /**
   * The outcome for one client.
   *
   * @param smallestMb smallest size that completed, or 0 if none did
   * @param probes what was tried, e.g. {@code 32 ok, 12 fail}
   */
  record Result(int smallestMb, String probes) {
  }

  private HeapSearch() {
  }

  static Result search(ChildJvm jvm, String client, long timeoutSeconds) throws Exception {
    StringBuilder probes = new StringBuilder();
    int lo = 0;
    int hi = LADDER_MB.length - 1;
    int smallest = 0;
    int mid = GOAL_INDEX; // probe the goal first: one answer tells which half to search
    while (lo <= hi) {
      int mb = LADDER_MB[mid];
      ChildJvm.Outcome o = jvm.run(List.of("-Xms" + mb + "m", "-Xmx" + mb + "m", "-XX:+UseG1GC",
          "-XX:+ExitOnOutOfMemoryError"), "HEAP/" + client, "heap-" + client + "-" + mb + "m.log", timeoutSeconds);
      if (o.failure() != null && o.failure().contains("CHECKSUM MISMATCH")) {
        throw new IllegalStateException("heap probe " + client + " at " + mb + " MB: " + o.failure());
      }
      boolean ok = o.ok();
      String verdict = ok ? "ok" : o.timedOut() ? "timeout" : "fail (exit " + o.exitCode() + ")";
      probes.append(probes.length() > 0 ? ", " : "").append(mb).append(' ').append(verdict);
      System.out.printf("  heap %s -Xmx%dm: %s%s%n", client, mb, verdict,
          ok || o.failure() == null ? "" : ": " + o.failure());
      if (ok) {
        smallest = mb;
        hi = mid - 1;
      } else {
        lo = mid + 1;
      }
      mid = (lo + hi) / 2;
    }
    return new Result(smallest, probes.toString());
  }
}
