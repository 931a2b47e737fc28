package org.pgsession.internal.session;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.pgsession.SessionObserver;

/**
 * What observation costs an operation when nobody observes (no {@link SessionObserver}, no JFR
 * recording): the check each submission makes before building anything. Compare with the
 * ~20-40 µs of client CPU a W1 point query costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ObservationOffBench {
  SessionObserver observer; // null: no observer set

  /** @return whether the operation would be observed (false) */
  @Benchmark
  public boolean submissionCheck() {
    return Observation.wanted(observer);
  }
}
