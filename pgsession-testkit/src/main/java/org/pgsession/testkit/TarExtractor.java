package org.pgsession.testkit;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A small tar reader that extracts an uncompressed tar stream into a directory.
 *
 * <p>Supports regular files, directories, symbolic links and hard links; ustar name
 * prefixes, GNU long names ({@code L}/{@code K} entries) and the {@code path}/{@code linkpath}
 * keys of pax headers. Every directory is made mode 0755 and every file world-readable, with
 * the execute bits kept (0755 when the archive marks it executable, else 0644), so that an
 * unprivileged user can use the result. Entries that would escape the target directory are
 * rejected.
 */
final class TarExtractor {

    private static final int BLOCK = 512;
    private static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> EXEC_PERMS = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> FILE_PERMS = PosixFilePermissions.fromString("rw-r--r--");

    private TarExtractor() {
    }

    /**
     * Extracts every entry of {@code tar} into {@code target} (created if absent).
     *
     * @param tar the uncompressed tar stream; read to its end-of-archive marker, not closed
     * @param target the directory to extract into
     * @return the number of entries extracted (files, directories and links)
     * @throws IOException on a read or write failure, or a malformed or unsafe archive
     */
    static int extract(InputStream tar, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        Files.createDirectories(root);
        Files.setPosixFilePermissions(root, DIR_PERMS);
        byte[] header = new byte[BLOCK];
        String longName = null;
        String longLink = null;
        List<Path> dirs = new ArrayList<>();
        int count = 0;
        while (true) {
            if (!readBlock(tar, header)) {
                break; // tolerate a missing end-of-archive marker
            }
            if (isZero(header)) {
                break;
            }
            verifyChecksum(header);
            char type = (char) header[156];
            long size = parseNumber(header, 124, 12);
            String name = longName != null ? longName : entryName(header);
            String link = longLink != null ? longLink : string(header, 157, 100);
            if (type == 'L' || type == 'K') {
                String value = trimNul(new String(readData(tar, size), StandardCharsets.UTF_8));
                if (type == 'L') {
                    longName = value;
                } else {
                    longLink = value;
                }
                continue;
            }
            if (type == 'x') {
                String[] pax = parsePax(readData(tar, size));
                if (pax[0] != null) {
                    longName = pax[0];
                }
                if (pax[1] != null) {
                    longLink = pax[1];
                }
                continue;
            }
            longName = null;
            longLink = null;
            if (type == 'g') {
                skip(tar, padded(size));
                continue;
            }
            Path out = resolveInside(root, name);
            int mode = (int) parseNumber(header, 100, 8);
            switch (type) {
                case '5':
                    Files.createDirectories(out);
                    dirs.add(out);
                    skip(tar, padded(size));
                    count++;
                    break;
                case '0':
                case '\0':
                case '7':
                    Files.createDirectories(out.getParent());
                    Files.deleteIfExists(out);
                    try (OutputStream os = Files.newOutputStream(out, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                        copy(tar, os, size);
                    }
                    skip(tar, padded(size) - size);
                    Files.setPosixFilePermissions(out, (mode & 0111) != 0 ? EXEC_PERMS : FILE_PERMS);
                    count++;
                    break;
                case '2':
                    Files.createDirectories(out.getParent());
                    Files.deleteIfExists(out);
                    Files.createSymbolicLink(out, Path.of(link));
                    skip(tar, padded(size));
                    count++;
                    break;
                case '1':
                    Files.createDirectories(out.getParent());
                    Files.deleteIfExists(out);
                    Files.createLink(out, resolveInside(root, link));
                    skip(tar, padded(size));
                    count++;
                    break;
                default:
                    // devices, fifos and unknown types: not needed for server binaries
                    skip(tar, padded(size));
                    break;
            }
        }
        for (Path dir : dirs) {
            Files.setPosixFilePermissions(dir, DIR_PERMS);
        }
        // Directories created implicitly (parents of entries) also need to be traversable.
        try (var walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(p, DIR_PERMS);
                }
            }
        }
        return count;
    }

    private static Path resolveInside(Path root, String name) throws IOException {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        if (n.isEmpty() || n.equals(".")) {
            return root;
        }
        if (n.startsWith("/")) {
            throw new IOException("tar entry has an absolute path: " + name);
        }
        Path p = root.resolve(n).normalize();
        if (!p.startsWith(root)) {
            throw new IOException("tar entry escapes the target directory: " + name);
        }
        return p;
    }

    private static String entryName(byte[] h) {
        String name = string(h, 0, 100);
        boolean ustar = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
        // POSIX ustar has "ustar\0"; old GNU has "ustar  \0" and uses the prefix area otherwise.
        if (ustar && h[262] == 0) {
            String prefix = string(h, 345, 155);
            if (!prefix.isEmpty()) {
                return prefix + "/" + name;
            }
        }
        return name;
    }

    private static String[] parsePax(byte[] data) throws IOException {
        String[] result = new String[2];
        int pos = 0;
        while (pos < data.length) {
            int sp = pos;
            while (sp < data.length && data[sp] != ' ') {
                sp++;
            }
            if (sp >= data.length) {
                break;
            }
            int len;
            try {
                len = Integer.parseInt(new String(data, pos, sp - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new IOException("malformed pax header", e);
            }
            if (len <= sp - pos || pos + len > data.length) {
                throw new IOException("malformed pax header record length " + len);
            }
            String record = new String(data, sp + 1, pos + len - sp - 2, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            if (eq > 0) {
                String key = record.substring(0, eq);
                String value = record.substring(eq + 1);
                if (key.equals("path")) {
                    result[0] = value;
                } else if (key.equals("linkpath")) {
                    result[1] = value;
                }
            }
            pos += len;
        }
        return result;
    }

    private static void verifyChecksum(byte[] h) throws IOException {
        long expected = parseNumber(h, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        }
        if (sum != expected) {
            throw new IOException("tar header checksum mismatch (not a tar archive?)");
        }
    }

    /** Parses an octal field, or a base-256 one (high bit of the first byte set). */
    private static long parseNumber(byte[] h, int off, int len) throws IOException {
        if ((h[off] & 0x80) != 0) {
            long v = h[off] & 0x7f;
            for (int i = 1; i < len; i++) {
                v = (v << 8) | (h[off + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        boolean digits = false;
        for (int i = off; i < off + len; i++) {
            byte b = h[i];
            if (b == 0 || (b == ' ' && digits)) {
                break;
            }
            if (b == ' ') {
                continue;
            }
            if (b < '0' || b > '7') {
                throw new IOException("malformed octal field in tar header");
            }
            v = (v << 3) | (b - '0');
            digits = true;
        }
        return v;
    }

    private static String string(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static String trimNul(String s) {
        int i = s.indexOf('\0');
        return i >= 0 ? s.substring(0, i) : s;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static long padded(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static boolean readBlock(InputStream in, byte[] buf) throws IOException {
        int n = in.readNBytes(buf, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new EOFException("truncated tar header");
        }
        return true;
    }

    private static byte[] readData(InputStream in, long size) throws IOException {
        if (size > 1 << 20) {
            throw new IOException("tar extended header too large: " + size);
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new EOFException("truncated tar entry");
        }
        skip(in, padded(size) - size);
        return data;
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException("truncated tar entry");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("truncated tar entry");
                }
                s = 1;
            }
            left -= s;
        }
    }
}
