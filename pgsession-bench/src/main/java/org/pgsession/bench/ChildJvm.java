package org.pgsession.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts {@link TrialMain} in a fresh JVM (same java, same classpath) and collects its output. */
final class ChildJvm {
  private final Conf conf;
  private final Path logDir;

  ChildJvm(Conf conf, Path logDir) throws IOException {
    this.conf = conf;
    this.logDir = Files.createDirectories(logDir);
  }

  /** What a child printed and how it ended. */
  record Outcome(int exitCode, boolean timedOut, List<String> results, String failure, Path log) {
    boolean ok() {
      return exitCode == 0 && !timedOut && failure == null;
    }
  }

  /**
   * Runs one child to completion.
   *
   * @param jvmFlags heap and GC flags
   * @param caseId the case
   * @param logName file name for the child's output
   * @param timeoutSeconds kill it after this long
   * @return its outcome
   * @throws IOException if it cannot be started
   * @throws InterruptedException if interrupted
   */
  Outcome run(List<String> jvmFlags, String caseId, String logName, long timeoutSeconds)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags);
    cmd.addAll(conf.asJvmArgs());
    String extra = System.getProperty("bench.childJvmArgs", "").trim();
    if (!extra.isEmpty()) {
      // Diagnostics only (e.g. a JFR recording): flags that change the measurement are the user's call.
      cmd.addAll(List.of(extra.split("\\s+")));
    }
    if (Boolean.getBoolean("bench.threadCpu")) {
      cmd.add("-Dbench.threadCpu=true"); // per-thread CPU in the child logs, for diagnostics
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(TrialMain.class.getName());
    cmd.add(caseId);
    Path log = logDir.resolve(logName);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> results = new ArrayList<>();
    String[] failure = new String[1];
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
          java.io.Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
        for (String line; (line = r.readLine()) != null; ) {
          w.write(line);
          w.write('\n');
          if (line.startsWith("BENCHRESULT ")) {
            results.add(line);
          } else if (line.startsWith("BENCHFAIL ")) {
            failure[0] = line.substring("BENCHFAIL ".length());
          }
        }
      } catch (IOException e) {
        failure[0] = "reading child output: " + e;
      }
    }, "child-reader");
    reader.start();
    boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly();
      p.waitFor();
    }
    reader.join();
    return new Outcome(finished ? p.exitValue() : -1, !finished, results, failure[0], log);
  }

  /**
   * The last lines of a child's log, for error messages.
   *
   * @param log the log file
   * @return up to 30 lines
   */
  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
