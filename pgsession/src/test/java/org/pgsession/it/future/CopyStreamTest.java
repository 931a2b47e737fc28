package org.pgsession.it.future;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.pgsession.it.future.FutureSessions.await;
import static org.pgsession.it.future.FutureSessions.failure;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.PgException;
import org.pgsession.Session;
import org.pgsession.testkit.PgTestExtension;

/** {@code copyIn(InputStream)} and {@code copyOut(OutputStream)}: data, failures, stream I/O off the loop. */
@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class CopyStreamTest {
  private final FutureSessions sessions = new FutureSessions();

  @AfterEach
  void closeAll() {
    sessions.close();
  }

  @Test
  void copyInReadsTheStreamOffTheLoopAndReturnsTheCount() {
    Session s = sessions.open();
    await(s.update("CREATE TEMP TABLE c(n int8, t text)"));
    String[] readers = new String[1];
    InputStream data = new GeneratedCopyData.Rows(3_000_000) {
      @Override
      public int read(byte[] b, int off, int len) {
        readers[0] = Thread.currentThread().getName();
        return super.read(b, off, len);
      }
    };
    long count = await(s.copyIn("COPY c FROM STDIN", data));
    assertThat(count).isGreaterThan(30_000);
    assertThat(await(s.query("SELECT count(*), max(n) FROM c")).get(0).getLong(0)).isEqualTo(count);
    assertThat(readers[0]).startsWith("pgsession-copy-io");
  }

  @Test
  void anIOExceptionWhileReadingAbortsTheCopy() {
    Session s = sessions.open();
    await(s.update("CREATE TEMP TABLE c(n int8, t text)"));
    InputStream broken = new SequenceInputStream(new GeneratedCopyData.Rows(200_000), new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("disk on fire");
      }
    });
    Throwable t = failure(s.copyIn("COPY c FROM STDIN", broken));
    assertThat(t).isInstanceOf(IOException.class).hasMessage("disk on fire");
    assertThat(await(s.query("SELECT count(*) FROM c")).get(0).getLong(0)).as("nothing committed").isZero();
  }

  @Test
  void copyInOfBadDataFailsWithTheServersError() {
    Session s = sessions.open();
    await(s.update("CREATE TEMP TABLE c(n int8)"));
    InputStream bad = new ByteArrayInputStream("1\nnot a number\n".getBytes(StandardCharsets.US_ASCII));
    PgException e = (PgException) failure(s.copyIn("COPY c FROM STDIN", bad));
    assertThat(e.sqlState()).isEqualTo("22P02");
    assertThat(await(s.query("SELECT 1")).size()).isEqualTo(1);
  }

  @Test
  void copyOutWritesEveryByteInOrderOffTheLoop() {
    Session s = sessions.open();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String[] writer = new String[1];
    OutputStream sink = new OutputStream() {
      @Override
      public void write(int b) {
        bytes.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        writer[0] = Thread.currentThread().getName();
        bytes.write(b, off, len);
      }
    };
    long count = await(s.copyOut("COPY (SELECT g FROM generate_series(1, 20000) g) TO STDOUT", sink));
    assertThat(count).isEqualTo(20000);
    String[] lines = bytes.toString(StandardCharsets.US_ASCII).split("\n");
    assertThat(lines).hasSize(20000);
    for (int i = 0; i < lines.length; i++) {
      assertThat(lines[i]).isEqualTo(Integer.toString(i + 1));
    }
    assertThat(writer[0]).startsWith("pgsession-copy-io");
  }

  @Test
  void anIOExceptionWhileWritingCancelsTheCopy() {
    Session s = sessions.open();
    OutputStream broken = new OutputStream() {
      long written;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        written += len;
        if (written > 100_000) {
          throw new IOException("sink full");
        }
      }
    };
    Throwable t = failure(s.copyOut(
        "COPY (SELECT g, repeat('x', 100) FROM generate_series(1, 2000000) g) TO STDOUT", broken));
    assertThat(t).isInstanceOf(IOException.class).hasMessage("sink full");
    assertThat(await(s.query("SELECT 42")).get(0).getInteger(0)).isEqualTo(42);
  }

  @Test
  void copyOutOfAFailingQueryFailsWithTheServersError() {
    Session s = sessions.open();
    PgException e = (PgException) failure(s.copyOut("COPY (SELECT 1/0) TO STDOUT", new ByteArrayOutputStream()));
    assertThat(e.sqlState()).isEqualTo("22012");
  }
}
