package org.pgsession.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Operating-system helpers: who we run as, the unprivileged server user when we are root,
 * running commands with a deadline, ownership and permissions, recursive deletion.
 */
final class Os {

    /** Directory mode 0755. */
    static final Set<PosixFilePermission> MODE_755 = PosixFilePermissions.fromString("rwxr-xr-x");
    /** File mode 0600. */
    static final Set<PosixFilePermission> MODE_600 = PosixFilePermissions.fromString("rw-------");

    private static volatile String serverUser;

    private Os() {
    }

    /** Whether this JVM runs as root (user name {@code root} or effective uid 0). */
    static boolean isRoot() {
        if ("root".equals(System.getProperty("user.name"))) {
            return true;
        }
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid instanceof Integer && (Integer) uid == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The account the server runs as when we are root: {@code postgres} if it exists, else
     * {@code nobody}. Returns {@code null} when not root (the server runs as ourselves).
     */
    static String serverUser() {
        if (!isRoot()) {
            return null;
        }
        String u = serverUser;
        if (u == null) {
            u = userExists("postgres") ? "postgres" : "nobody";
            serverUser = u;
        }
        return u;
    }

    private static boolean userExists(String name) {
        try {
            return run(List.of("id", "-u", name), null, 10, null).exitCode == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The command prefix that runs a command as {@code user} ({@code runuser}, else
     * {@code setpriv}), or an empty list when {@code user} is {@code null}.
     */
    static List<String> asUser(String user) {
        if (user == null) {
            return List.of();
        }
        for (String p : new String[] {"/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser"}) {
            if (Files.isExecutable(Path.of(p))) {
                return List.of(p, "-u", user, "--");
            }
        }
        for (String p : new String[] {"/usr/bin/setpriv", "/bin/setpriv"}) {
            if (Files.isExecutable(Path.of(p))) {
                return List.of(p, "--reuid=" + user, "--regid=" + user, "--init-groups");
            }
        }
        throw new IllegalStateException("running as root but neither runuser nor setpriv is available"
                + " to run PostgreSQL as the unprivileged user " + user);
    }

    /** The result of a finished command. */
    static final class Result {
        final int exitCode;
        final String output;

        Result(int exitCode, String output) {
            this.exitCode = exitCode;
            this.output = output;
        }
    }

    /**
     * Runs a command with stdout and stderr merged, waits at most {@code timeoutSeconds}.
     * PostgreSQL client environment variables ({@code PG*}) are removed so they cannot
     * redirect the tools.
     *
     * @param command the command line
     * @param dir the working directory, or {@code null} for the temp directory
     * @param timeoutSeconds the deadline; the process is killed after it
     * @param stdin text fed to standard input, or {@code null} for none
     * @return the exit code (-1 on timeout) and the output
     */
    static Result run(List<String> command, Path dir, long timeoutSeconds, String stdin) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("PG") && !k.startsWith("PGSESSION"));
        env.put("LC_ALL", "C");
        pb.directory((dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"))).toFile());
        pb.redirectErrorStream(true);
        // Output goes to a file, not a pipe: a daemonized grandchild holding the pipe open
        // must not block us.
        Path out = Files.createTempFile("pgsession-cmd", ".out");
        try {
            pb.redirectOutput(out.toFile());
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            }
            Process p = pb.start();
            if (stdin != null) {
                try (var os = p.getOutputStream()) {
                    os.write(stdin.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // the process exited early; its output will tell why
                }
            }
            boolean done;
            try {
                done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + command, e);
            }
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            return new Result(done ? p.exitValue() : -1,
                    done ? text : text + "\n[timed out after " + timeoutSeconds + "s]");
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Makes {@code user} (and its primary group) the owner of {@code path}, not following links. */
    static void chown(Path path, String user) throws IOException {
        if (user == null) {
            return;
        }
        UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        UserPrincipal owner = lookup.lookupPrincipalByName(user);
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        view.setOwner(owner);
        GroupPrincipal group = primaryGroup(lookup, user);
        if (group != null) {
            view.setGroup(group);
        }
    }

    private static GroupPrincipal primaryGroup(UserPrincipalLookupService lookup, String user) {
        try {
            Result r = run(List.of("id", "-gn", user), null, 10, null);
            if (r.exitCode == 0) {
                return lookup.lookupPrincipalByGroupName(r.output.trim());
            }
        } catch (IOException e) {
            // leave the group alone
        }
        return null;
    }

    /** Creates {@code dir} (and parents) if needed and makes it mode 0755. */
    static Path ensureDir755(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, MODE_755);
        } catch (IOException e) {
            // owned by someone else (a shared directory made by another user): use as is
        }
        return dir;
    }

    /**
     * The base temporary directory: {@code java.io.tmpdir}, unless we are root and it is not
     * traversable by other users (e.g. under {@code /root}), in which case {@code /tmp}.
     */
    static Path baseTemp() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        if (isRoot() && !traversableByOthers(tmp)) {
            return Path.of("/tmp");
        }
        return tmp;
    }

    /** Whether every directory from the root to {@code dir} has the others-execute bit. */
    static boolean traversableByOthers(Path dir) {
        try {
            for (Path p = dir.toRealPath(); p != null; p = p.getParent()) {
                if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A shared directory {@code <baseTemp>/<name>} usable by this user; if it exists but
     * belongs to another user and is not writable, {@code <baseTemp>/<name>-<user>}.
     */
    static Path sharedTempDir(String name) throws IOException {
        Path dir = baseTemp().resolve(name);
        ensureDir755(dir);
        if (Files.isWritable(dir)) {
            return dir;
        }
        return ensureDir755(baseTemp().resolve(name + "-" + System.getProperty("user.name")));
    }

    /** Deletes a file tree, ignoring entries that vanish meanwhile; no-op when absent. */
    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<IOException> failures = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                if (!(exc instanceof NoSuchFileException)) {
                    failures.add(exc);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) {
                delete(dir);
                return FileVisitResult.CONTINUE;
            }

            private void delete(Path p) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    failures.add(e);
                }
            }
        });
        if (!failures.isEmpty()) {
            IOException e = new IOException("could not delete " + root);
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }
}
