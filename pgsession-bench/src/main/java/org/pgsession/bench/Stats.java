package org.pgsession.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Median and range of a list of samples. */
final class Stats {
  final double median;
  final double min;
  final double max;

  private Stats(double median, double min, double max) {
    this.median = median;
    this.min = min;
    this.max = max;
  }

  static Stats of(List<Sample> samples, ToDoubleFunction<Sample> f) {
    List<Double> v = new ArrayList<>();
    for (Sample s : samples) {
      v.add(f.applyAsDouble(s));
    }
    Collections.sort(v);
    int n = v.size();
    double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    return new Stats(median, v.get(0), v.get(n - 1));
  }
}
