package org.pgsession.testkit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Cleans up clusters left behind by JVMs that died without running their shutdown hooks
 * (e.g. killed with SIGKILL by a build timeout): each cluster directory records the pid of
 * the JVM that owns it; if that process no longer exists, the server is stopped and the
 * directory deleted. Clusters of live JVMs are never touched.
 */
final class StaleClusters {

    /** File in a cluster directory holding the owning JVM's pid. */
    static final String OWNER_FILE = "owner.pid";

    private StaleClusters() {
    }

    /**
     * Stops and deletes the clusters under {@code root} whose owner process is gone.
     * Best effort: failures are ignored.
     *
     * @param root the directory holding cluster directories
     */
    static void sweep(Path root) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                Path owner = dir.resolve(OWNER_FILE);
                if (!Files.isRegularFile(owner)) {
                    continue;
                }
                try {
                    long pid = Long.parseLong(Files.readString(owner).trim());
                    if (pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).isPresent()) {
                        continue;
                    }
                    Path data = dir.resolve("data");
                    if (Files.exists(data.resolve("postmaster.pid"))) {
                        PgBinaries binaries = binariesOf(data);
                        if (binaries != null) {
                            PgCluster.stopServer(binaries, Os.serverUser(), data, root);
                        }
                    }
                    Os.deleteRecursively(dir);
                } catch (IOException | RuntimeException e) {
                    // not ours to fix: another user's files, or a concurrent sweeper
                }
            }
        } catch (IOException e) {
            // nothing to sweep
        }
    }

    /** The binaries that can stop the server of {@code data}: those of its major version. */
    private static PgBinaries binariesOf(Path data) throws IOException {
        Path versionFile = data.resolve("PG_VERSION");
        if (!Files.isRegularFile(versionFile)) {
            return null;
        }
        String major = Files.readString(versionFile).trim();
        try (DirectoryStream<Path> versions = Files.newDirectoryStream(PgBinaries.cacheRoot())) {
            for (Path v : versions) {
                String name = v.getFileName().toString();
                if ((name.equals(major) || name.startsWith(major + ".")) && BinaryCache.isComplete(v)) {
                    return PgBinaries.resolve(name);
                }
            }
        }
        return null;
    }
}
