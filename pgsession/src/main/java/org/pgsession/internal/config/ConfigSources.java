package org.pgsession.internal.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What a connection string is completed from besides its own keys: the environment variables,
 * the home directory (for {@code ~/.pgpass}, {@code ~/.pg_service.conf},
 * {@code ~/.postgresql/}) and the operating-system user name (the default role). Tests pass their
 * own; {@link #system()} is the real process.
 *
 * @param env environment variables
 * @param home the home directory, or null when unknown (home-relative defaults are then absent)
 * @param osUser the operating-system user name
 */
public record ConfigSources(Map<String, String> env, Path home, String osUser) {
  /** Copies the environment and rejects nulls. */
  public ConfigSources {
    env = Map.copyOf(env);
    Objects.requireNonNull(osUser, "osUser");
  }

  /** @return this process: {@code System.getenv()}, {@code $HOME} or {@code user.home}, {@code user.name} */
  public static ConfigSources system() {
    Map<String, String> env = System.getenv();
    String home = env.get("HOME");
    if (home == null || home.isEmpty()) {
      home = System.getProperty("user.home");
    }
    return new ConfigSources(env, home == null || home.isEmpty() ? null : Path.of(home),
        System.getProperty("user.name", ""));
  }

  /** @param name a variable @return its value, or null when unset */
  String getenv(String name) {
    return env.get(name);
  }

  /** @param relative a path below the home directory @return it, or null without a home */
  Path inHome(String relative) {
    return home == null ? null : home.resolve(relative);
  }
}
