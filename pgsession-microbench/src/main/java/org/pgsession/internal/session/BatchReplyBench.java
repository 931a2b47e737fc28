package org.pgsession.internal.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.pgsession.internal.protocol.BackendMessage;
import org.pgsession.internal.protocol.BackendParser;

/**
 * The server's answer to a W2 batch of 100 cached point queries (per query: BindComplete, one
 * DataRow, CommandComplete "SELECT 1"; ReadyForQuery at the end), framed by the parser. Per query
 * (100 per op); run with {@code -prof gc} for bytes per query.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class BatchReplyBench {
  static final int QUERIES = 100;
  ByteBuf frames;
  BackendParser parser;

  /** Builds the frames. */
  @Setup
  public void setUp() {
    frames = ByteBufAllocator.DEFAULT.directBuffer();
    byte[] name = "name-4711".getBytes(StandardCharsets.UTF_8);
    byte[] tag = "SELECT 1".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < QUERIES; i++) {
      frames.writeByte('2').writeInt(4);
      frames.writeByte('D').writeInt(4 + 2 + 4 + 4 + 4 + name.length).writeShort(2)
          .writeInt(4).writeInt(4711).writeInt(name.length).writeBytes(name);
      frames.writeByte('C').writeInt(4 + tag.length + 1).writeBytes(tag).writeByte(0);
    }
    frames.writeByte('Z').writeInt(5).writeByte('I');
    parser = new BackendParser(BackendParser.DEFAULT_MAX_MESSAGE_LENGTH);
  }

  /** Releases the frames. */
  @TearDown
  public void tearDown() {
    frames.release();
  }

  /**
   * Frames every message of the batch's answer.
   *
   * @param bh sink
   */
  @Benchmark
  @OperationsPerInvocation(QUERIES)
  public void frameBatchReply(Blackhole bh) {
    frames.readerIndex(0);
    BackendMessage m;
    while ((m = parser.decode(frames)) != null) {
      bh.consume(m);
    }
  }
}
