package org.pgsession.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * One measured trial as printed by {@link TrialMain}: which case and phase, and its numbers.
 *
 * @param caseId {@code workload/client}
 * @param phase warmup, measured or heap
 * @param round the round it ran in (1-based)
 * @param values ops, nanos, clientCpu, serverCpu, alloc and extras
 */
public record Sample(String caseId, String phase, int round, Map<String, Long> values) {

  /**
   * Parses a {@code BENCHRESULT} line.
   *
   * @param line the line
   * @param round the round
   * @return the sample
   */
  public static Sample parse(String line, int round) {
    String caseId = null;
    String phase = null;
    Map<String, Long> values = new HashMap<>();
    for (String kv : line.substring("BENCHRESULT ".length()).trim().split(" ")) {
      int eq = kv.indexOf('=');
      String k = kv.substring(0, eq);
      String v = kv.substring(eq + 1);
      switch (k) {
        case "case" -> caseId = v;
        case "phase" -> phase = v;
        default -> values.put(k, Long.parseLong(v));
      }
    }
    return new Sample(caseId, phase, round, values);
  }

  /** @return operations per second */
  public double throughput() {
    return values.get("ops") / (values.get("nanos") / 1e9);
  }

  /**
   * A per-operation value.
   *
   * @param key clientCpu, serverCpu or alloc
   * @return the value divided by ops
   */
  public double perOp(String key) {
    return (double) values.get(key) / values.get("ops");
  }

  /**
   * How many cores a CPU counter kept busy on average during the trial.
   *
   * @param key clientCpu or serverCpu
   * @return CPU time divided by wall time (2.0 = both cores of a 2-core machine)
   */
  public double cores(String key) {
    return (double) values.get(key) / values.get("nanos");
  }

  /** @return the workload, the report's group */
  public String group() {
    return caseId.substring(0, caseId.indexOf('/'));
  }

  /** @return the client */
  public String client() {
    return caseId.substring(caseId.indexOf('/') + 1);
  }
}
