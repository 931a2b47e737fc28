package org.pgsession.testkit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.tukaani.xz.XZInputStream;

/**
 * Extracts a {@code .txz} archive once into {@code <cacheRoot>/<key>/}, safely against other
 * threads and other JVMs doing the same: each extracts into a private temporary sibling
 * directory, then renames it into place atomically; a loser of that race discards its copy
 * and uses the winner's. A directory is only ever visible at its final name once complete.
 */
final class BinaryCache {

    /** Marker file written last into a complete extraction. */
    static final String COMPLETE_MARKER = ".pgsession-complete";

    /** Opens the compressed archive; called at most once per extraction attempt. */
    @FunctionalInterface
    interface ArchiveSource {
        /**
         * Opens the archive.
         *
         * @return a fresh stream over the {@code .txz} bytes
         * @throws IOException if it cannot be opened
         */
        InputStream open() throws IOException;
    }

    private BinaryCache() {
    }

    /**
     * Returns {@code <cacheRoot>/<key>}, extracting the archive there first if no complete
     * extraction exists yet.
     *
     * @param cacheRoot the cache directory (created 0755 if absent)
     * @param key the subdirectory name, e.g. the PostgreSQL version
     * @param source the archive to extract when needed
     * @return the directory holding the extracted tree
     * @throws IOException on failure to read or extract
     */
    static Path ensureExtracted(Path cacheRoot, String key, ArchiveSource source) throws IOException {
        Path target = cacheRoot.resolve(key);
        if (isComplete(target)) {
            return target;
        }
        Os.ensureDir755(cacheRoot);
        if (Files.exists(target)) {
            // Not complete: left by an older or crashed tool version. Move it out of the way.
            Path stale = cacheRoot.resolve("." + key + ".stale-" + UUID.randomUUID());
            try {
                Files.move(target, stale, StandardCopyOption.ATOMIC_MOVE);
                Os.deleteRecursively(stale);
            } catch (IOException e) {
                if (isComplete(target)) {
                    return target; // someone repaired it meanwhile
                }
                throw e;
            }
        }
        Path tmp = cacheRoot.resolve("." + key + ".tmp-" + UUID.randomUUID());
        try {
            try (InputStream in = new XZInputStream(new BufferedInputStream(source.open(), 1 << 16))) {
                TarExtractor.extract(in, tmp);
            }
            Files.writeString(tmp.resolve(COMPLETE_MARKER), "ok\n");
            Files.setPosixFilePermissions(tmp, Os.MODE_755);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (isComplete(target)) {
                    return target; // another JVM or thread won the race
                }
                throw e;
            }
            return target;
        } finally {
            if (Files.exists(tmp)) {
                try {
                    Os.deleteRecursively(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    /** Whether {@code dir} holds a complete extraction. */
    static boolean isComplete(Path dir) {
        return Files.isRegularFile(dir.resolve(COMPLETE_MARKER));
    }
}
