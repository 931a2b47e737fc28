package org.pgsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** Binaries resolution, the extraction cache and the tar reader. */
class PgBinariesTest {

    @TempDir
    Path tmp;

    @Test
    void defaultBinariesAreExtractedOnceAndReused() throws IOException {
        PgBinaries first = PgBinaries.resolve();
        Path marker = first.binDirectory().getParent().resolve(BinaryCache.COMPLETE_MARKER);
        Object key = Files.readAttributes(marker, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        PgBinaries second = PgBinaries.resolve(first.version());
        assertThat(second.binDirectory()).isEqualTo(first.binDirectory());
        assertThat(Files.readAttributes(marker, java.nio.file.attribute.BasicFileAttributes.class).fileKey())
                .isEqualTo(key);
        assertThat(first.binDirectory()).startsWith(PgBinaries.cacheRoot());
        assertThat(first.binDirectory().toString()).doesNotStartWith("/root");
        assertThat(Files.isExecutable(first.initdb())).isTrue();
        assertThat(Files.isExecutable(first.pgCtl())).isTrue();
        assertThat(Files.isExecutable(first.postgres())).isTrue();
        assertThat(Files.getPosixFilePermissions(first.postgres()))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(Files.getPosixFilePermissions(first.binDirectory()))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(Os.traversableByOthers(first.binDirectory())).isTrue();
    }

    @Test
    void cacheExtractsOnlyOnce() throws IOException {
        byte[] txz = xz(tar(List.of(file("bin/tool", "#!/bin/sh\necho hi\n", 0755))));
        AtomicInteger opened = new AtomicInteger();
        BinaryCache.ArchiveSource source = () -> {
            opened.incrementAndGet();
            return new ByteArrayInputStream(txz);
        };
        Path a = BinaryCache.ensureExtracted(tmp, "1.0", source);
        Path b = BinaryCache.ensureExtracted(tmp, "1.0", source);
        assertThat(b).isEqualTo(a);
        assertThat(opened).hasValue(1);
        assertThat(Files.readString(a.resolve("bin/tool"))).contains("echo hi");
        try (var list = Files.list(tmp)) {
            assertThat(list.map(p -> p.getFileName().toString())).containsExactly("1.0");
        }
    }

    @Test
    void concurrentExtractionsAgreeOnOneCompleteDirectory() throws Exception {
        byte[] txz = xz(tar(List.of(file("share/data.txt", "x".repeat(100_000), 0644))));
        int n = 4;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Callable<Path> task = () -> {
                    go.await();
                    return BinaryCache.ensureExtracted(tmp, "2.0", () -> new ByteArrayInputStream(txz));
                };
                results.add(pool.submit(task));
            }
            go.countDown();
            for (Future<Path> f : results) {
                Path p = f.get(60, TimeUnit.SECONDS);
                assertThat(p).isEqualTo(tmp.resolve("2.0"));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(Files.readString(tmp.resolve("2.0/share/data.txt"))).hasSize(100_000);
        try (var list = Files.list(tmp)) {
            assertThat(list.map(p -> p.getFileName().toString())).containsExactly("2.0"); // no temp leftovers
        }
    }

    @Test
    void tarReaderExtractsFilesDirectoriesLinksAndLongNames() throws IOException {
        String longDir = "share/" + "d".repeat(120);
        List<byte[]> entries = new ArrayList<>();
        entries.add(header("bin/", '5', 0, "", 0700));
        entries.add(file("bin/run", "#!/bin/sh\n", 0700));
        entries.add(file("lib/libx.so.1.2", "ELF", 0600));
        entries.add(header("lib/libx.so.1", '2', 0, "libx.so.1.2", 0777));
        entries.add(header("lib/libx-hard", '1', 0, "lib/libx.so.1.2", 0644));
        entries.addAll(gnuLongName(longDir + "/file.txt", file("placeholder", "long", 0644)));
        entries.add(ustarWithPrefix("share/prefixed/dir", "name.txt", "pfx"));
        Path out = tmp.resolve("out");
        int count = TarExtractor.extract(new ByteArrayInputStream(tar(entries)), out);

        assertThat(count).isEqualTo(7);
        assertThat(Files.getPosixFilePermissions(out.resolve("bin")))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(Files.getPosixFilePermissions(out.resolve("bin/run")))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(Files.getPosixFilePermissions(out.resolve("lib/libx.so.1.2")))
                .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Files.isSymbolicLink(out.resolve("lib/libx.so.1"))).isTrue();
        assertThat(Files.readSymbolicLink(out.resolve("lib/libx.so.1"))).isEqualTo(Path.of("libx.so.1.2"));
        assertThat(Files.readString(out.resolve("lib/libx.so.1"))).isEqualTo("ELF");
        assertThat(Files.isSameFile(out.resolve("lib/libx-hard"), out.resolve("lib/libx.so.1.2"))).isTrue();
        assertThat(Files.readString(out.resolve(longDir + "/file.txt"))).isEqualTo("long");
        assertThat(Files.getPosixFilePermissions(out.resolve(longDir)))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(Files.readString(out.resolve("share/prefixed/dir/name.txt"))).isEqualTo("pfx");
        assertThat(Files.exists(out.resolve("placeholder"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void tarReaderRejectsEntriesEscapingTheTarget() {
        byte[] evil = tar(List.of(file("../evil", "x", 0644)));
        assertThatThrownBy(() -> TarExtractor.extract(new ByteArrayInputStream(evil), tmp.resolve("out")))
                .isInstanceOf(IOException.class).hasMessageContaining("escapes");
        assertThat(Files.exists(tmp.resolve("evil"))).isFalse();
    }

    @Test
    void tarReaderRejectsGarbage() {
        byte[] junk = new byte[1024];
        junk[0] = 'x';
        assertThatThrownBy(() -> TarExtractor.extract(new ByteArrayInputStream(junk), tmp.resolve("out")))
                .isInstanceOf(IOException.class).hasMessageContaining("checksum");
    }

    @Test
    void invalidVersionIsRejected() {
        assertThatThrownBy(() -> PgBinaries.resolve("../../etc")).isInstanceOf(IllegalArgumentException.class);
    }

    // --- a tiny tar writer for synthetic archives ---

    private static byte[] file(String name, String content, int mode) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        byte[] h = header(name, '0', data.length, "", mode);
        byte[] out = new byte[h.length + pad(data.length)];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(data, 0, out, h.length, data.length);
        return out;
    }

    private static List<byte[]> gnuLongName(String name, byte[] entry) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] h = header("././@LongLink", 'L', n.length, "", 0644);
        byte[] longEntry = new byte[h.length + pad(n.length)];
        System.arraycopy(h, 0, longEntry, 0, h.length);
        System.arraycopy(n, 0, longEntry, h.length, n.length);
        return List.of(longEntry, entry);
    }

    private static byte[] ustarWithPrefix(String prefix, String name, String content) {
        byte[] e = file(name, content, 0644);
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(p, 0, e, 345, p.length);
        writeChecksum(e);
        return e;
    }

    private static byte[] header(String name, char type, long size, String link, int mode) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, String.format("%07o", mode));
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, String.format("%011o", 0));
        h[156] = (byte) type;
        put(h, 157, link);
        put(h, 257, "ustar");
        put(h, 263, "00");
        writeChecksum(h);
        return h;
    }

    private static void writeChecksum(byte[] h) {
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += h[i] & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        h[155] = ' ';
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, b.length);
    }

    private static int pad(int n) {
        return (n + 511) / 512 * 512;
    }

    private static byte[] tar(List<byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        entries.forEach(out::writeBytes);
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static byte[] xz(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XZOutputStream xz = new XZOutputStream(out, new LZMA2Options())) {
            xz.write(data);
        }
        return out.toByteArray();
    }
}
