package org.pgsession.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Linux /proc look-up: which process owns the TCP socket whose peer is a given local port. */
final class ProcSockets {
  private ProcSockets() {}

  /** @param peerPort the remote port of the wanted socket @return its owner's pid, or 0 */
  static int pidWithPeerPort(int peerPort) {
    String inode = inodeWithPeerPort(peerPort);
    if (inode == null) {
      return 0;
    }
    String target = "socket:[" + inode + "]";
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try (Stream<Path> fds = Files.list(p.resolve("fd"))) {
          for (Path fd : (Iterable<Path>) fds::iterator) {
            try {
              if (target.equals(Files.readSymbolicLink(fd).toString())) {
                return Integer.parseInt(name);
              }
            } catch (IOException ignored) {
              // fd closed meanwhile
            }
          }
        } catch (IOException | SecurityException ignored) {
          // not ours to read, or gone
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return 0;
  }

  private static String inodeWithPeerPort(int peerPort) {
    String port = String.format(":%04X", peerPort);
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/net/tcp"));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        // Established sockets only: an earlier connection that used the same port number and
        // now sits in TIME_WAIT (inode 0, no owner) matched first on a busy machine.
        if (f.length > 9 && f[2].endsWith(port) && f[3].equals("01") && !f[9].equals("0")) {
          return f[9];
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }
}
