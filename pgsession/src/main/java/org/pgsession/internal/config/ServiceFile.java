package org.pgsession.internal.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * libpq's connection service file: an INI file whose sections are service names and whose lines
 * are {@code key=value} connection parameters ({@code #} starts a comment line). The per-user file
 * ({@code PGSERVICEFILE}, else {@code ~/.pg_service.conf}) is searched first; only when the
 * service is not there, the system file {@code $PGSYSCONFDIR/pg_service.conf}. (libpq's compiled-in
 * system directory is not known to a Java driver, so without {@code PGSYSCONFDIR} there is no
 * system file.) Unlike libpq, spaces around the {@code =} are tolerated.
 */
final class ServiceFile {
  private ServiceFile() {}

  /**
   * @param service the service name
   * @param sources where the files are
   * @return the service's parameters
   * @throws IllegalArgumentException if no file defines the service, or the file is malformed
   */
  static Map<ConnKey, String> lookup(String service, ConfigSources sources) {
    String userFile = sources.getenv("PGSERVICEFILE");
    Path user = userFile != null && !userFile.isEmpty() ? Path.of(userFile) : sources.inHome(".pg_service.conf");
    String sysconf = sources.getenv("PGSYSCONFDIR");
    Path system = sysconf != null && !sysconf.isEmpty() ? Path.of(sysconf, "pg_service.conf") : null;
    for (Path file : new Path[] {user, system}) {
      if (file != null && Files.isRegularFile(file)) {
        Map<ConnKey, String> found = read(file, service);
        if (found != null) {
          return found;
        }
      }
    }
    throw new IllegalArgumentException("definition of service \"" + service + "\" not found (service)");
  }

  /** @return the section's parameters, or null when the file has no such section */
  static Map<ConnKey, String> read(Path file, String service) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read service file \"" + file + "\": " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new IllegalArgumentException("cannot read service file \"" + file + "\": " + e.getMessage(), e);
    }
    Map<ConnKey, String> found = null;
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty() || line.charAt(0) == '#') {
        continue;
      }
      if (line.charAt(0) == '[') {
        if (found != null) {
          return found; // the next section ends ours
        }
        if (!line.endsWith("]")) {
          throw syntax(file, n);
        }
        if (line.substring(1, line.length() - 1).equals(service)) {
          found = new EnumMap<>(ConnKey.class);
        }
        continue;
      }
      if (found == null) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw syntax(file, n);
      }
      String key = line.substring(0, eq).strip();
      if (key.equals("service")) {
        throw new IllegalArgumentException("nested service specifications not supported in service file \""
            + file + "\", line " + (n + 1));
      }
      ConnKey k;
      try {
        k = ConnKey.of(key);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage() + " in service file \"" + file + "\", line " + (n + 1), e);
      }
      found.put(k, line.substring(eq + 1).strip());
    }
    return found;
  }

  private static IllegalArgumentException syntax(Path file, int index) {
    return new IllegalArgumentException("syntax error in service file \"" + file + "\", line " + (index + 1));
  }
}
