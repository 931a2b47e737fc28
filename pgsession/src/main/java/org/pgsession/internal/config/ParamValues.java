package org.pgsession.internal.config;

import java.util.EnumMap;
import java.util.Map;

/** The connection parameters collected so far, each with where it came from (for messages). */
final class ParamValues {
  private final Map<ConnKey, String> values = new EnumMap<>(ConnKey.class);
  private final Map<ConnKey, String> origins = new EnumMap<>(ConnKey.class);

  /** Sets {@code k} unless an earlier (higher-precedence) source already did. */
  void putIfAbsent(ConnKey k, String value, String origin) {
    if (!values.containsKey(k)) {
      values.put(k, value);
      origins.put(k, origin);
    }
  }

  /** @return the value as given (maybe empty), or the default when unset */
  String getOrDefault(ConnKey k, String dflt) {
    return values.getOrDefault(k, dflt);
  }

  /** @return the value, or null when unset or empty (libpq treats both as "use the default") */
  String nonEmpty(ConnKey k) {
    String v = values.get(k);
    return v == null || v.isEmpty() ? null : v;
  }

  /** @return an error naming the key and its source; never include a password in {@code problem} */
  IllegalArgumentException bad(ConnKey k, String problem) {
    String origin = origins.getOrDefault(k, "the default");
    return new IllegalArgumentException(problem + " (" + k.libpqName() + ", from " + origin + ")");
  }
}
