package org.pgsession.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Rebuilds the report from the child logs of a run that was stopped before it finished (every
 * child writes its BENCHRESULT lines to {@code pgsession-bench/target/bench-logs/<case>-r<round>.log}).
 * Cases without a log are missing from the report; no smallest-heap results.
 *
 * <p>Arguments: the logs directory, the report file, the PostgreSQL version, a status label, and
 * optionally the commit that was measured (default: the checkout's).
 */
public final class FromLogs {
  private static final Pattern ROUND = Pattern.compile("-r([0-9]+)\\.log$");

  private FromLogs() {
  }

  /**
   * Entry point.
   *
   * @param args logs directory, report file, PostgreSQL version, label[, measured commit]
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    List<Sample> samples = new ArrayList<>();
    try (Stream<Path> logs = Files.list(Path.of(args[0]))) {
      for (Path log : logs.sorted().toList()) {
        Matcher m = ROUND.matcher(log.getFileName().toString());
        if (!m.find()) {
          continue;
        }
        for (String line : Files.readAllLines(log)) {
          if (line.startsWith("BENCHRESULT ")) {
            Sample s = Sample.parse(line, Integer.parseInt(m.group(1)));
            if (s.phase().equals("measured")) {
              samples.add(s);
            }
          }
        }
      }
    }
    List<String> settings = List.of("**Status: " + args[3] + "**",
        "Rebuilt from the child logs of a run stopped before its end (FromLogs): workloads missing below were not"
            + " measured; sizes as in the default full mode (1M-row W3/W4, 200 W5 connections, 200 W6 sessions)");
    List<String> machine = new ArrayList<>(Machine.describe(args[2]));
    if (args.length > 4) {
      machine.replaceAll(l -> l.startsWith("pgsession: commit ") ? "pgsession: commit " + args[4]
          + ", pgjdbc 42.7.8, Vert.x pg client 5.0.5" : l);
    }
    Report.write(Path.of(args[1]), Report.generated(samples, machine, new LinkedHashMap<>(),
        settings, 0, CopyPayload.chunks(1000).get(0).length / 1000.0));
    System.out.println("wrote " + args[1] + " from " + samples.size() + " samples");
  }
}
