package org.pgsession.internal.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * libpq's password file ({@code ~/.pgpass}): lines {@code hostname:port:database:username:password};
 * each of the first four fields is a literal or {@code *} (matches anything); {@code \:} and
 * {@code \\} escape a colon and a backslash; lines starting with {@code #} are comments; the first
 * matching line wins. As in libpq, a file that is not a regular file, or that group or others may
 * access in any way, is ignored with a warning.
 */
final class PassFile {
  private static final System.Logger LOG = System.getLogger("org.pgsession");
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private PassFile() {}

  /**
   * @param file the password file (may not exist)
   * @param host the host as given (libpq matches the name, not the resolved address)
   * @param port the port, as a decimal string
   * @param database the database name
   * @param user the role name
   * @return the password of the first matching line, or null (no file, ignored file, no match)
   */
  static String lookup(Path file, String host, String port, String database, String user) {
    List<String> lines = readIfSafe(file);
    if (lines == null) {
      return null;
    }
    for (String line : lines) {
      String password = match(line, host, port, database, user);
      if (password != null) {
        return password;
      }
    }
    return null;
  }

  /** @return the password when {@code line} matches, else null */
  static String match(String line, String host, String port, String database, String user) {
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    if (line.isEmpty() || line.charAt(0) == '#') {
      return null;
    }
    int[] pos = {0};
    for (String wanted : new String[] {host, port, database, user}) {
      if (!fieldMatches(line, pos, wanted)) {
        return null;
      }
    }
    StringBuilder password = new StringBuilder();
    for (int i = pos[0]; i < line.length() && line.charAt(i) != ':'; i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        c = line.charAt(++i);
      }
      password.append(c);
    }
    return password.toString();
  }

  /** Matches the field at {@code pos[0]} and moves past its ':'; false if it differs or is last. */
  private static boolean fieldMatches(String line, int[] pos, String wanted) {
    int i = pos[0];
    if (line.startsWith("*:", i)) {
      pos[0] = i + 2;
      return true;
    }
    int w = 0;
    while (i < line.length() && line.charAt(i) != ':') {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        c = line.charAt(++i);
      }
      if (w >= wanted.length() || wanted.charAt(w) != c) {
        return false;
      }
      w++;
      i++;
    }
    if (i >= line.length() || w != wanted.length()) {
      return false; // no ':' after the field (too few fields), or a prefix only
    }
    pos[0] = i + 1;
    return true;
  }

  private static List<String> readIfSafe(Path file) {
    try {
      if (!Files.exists(file)) {
        return null;
      }
      if (!Files.isRegularFile(file)) {
        LOG.log(System.Logger.Level.WARNING, "pgsession: password file \"" + file + "\" is not a plain file");
        return null;
      }
      PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class,
          LinkOption.NOFOLLOW_LINKS);
      if (posix != null) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        perms.addAll(Files.getPosixFilePermissions(file));
        perms.retainAll(GROUP_OR_OTHERS);
        if (!perms.isEmpty()) {
          LOG.log(System.Logger.Level.WARNING, "pgsession: password file \"" + file
              + "\" has group or world access; permissions should be u=rw (0600) or less; it is ignored");
          return null;
        }
      }
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "pgsession: cannot read password file \"" + file + "\": " + e);
      return null;
    }
  }
}
