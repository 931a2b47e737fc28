package org.pgsession.internal.session;

import io.netty.buffer.ByteBuf;
import java.time.OffsetDateTime;
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
import org.pgsession.Row;
import org.pgsession.internal.protocol.BackendMessage;
import org.pgsession.internal.protocol.BackendMessage.DataRow;
import org.pgsession.internal.protocol.BackendParser;
import org.pgsession.types.CodecRegistry;

/**
 * W3-shaped DataRows (binary) from a pooled direct buffer: framing alone, and framing plus
 * decoding into Rows with every value read through the boxed or the primitive getters. Per row
 * (1000 per op). The frames are in a buffer of Netty's default allocator, as on the event loop.
 * Run with {@code -prof gc} for bytes per row ({@code gc.alloc.rate.norm}); on a JMH thread
 * (not a Netty FastThreadLocalThread) each string value costs 24 B more than on the event loop,
 * for Netty's temporary copy array.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class RowDecodeBench {
  ByteBuf frames;
  BackendParser parser;
  RowDecoder decoder;

  /** Builds the frames and the decoder. */
  @Setup
  public void setUp() {
    frames = W3Rows.frames();
    parser = new BackendParser(BackendParser.DEFAULT_MAX_MESSAGE_LENGTH);
    decoder = new RowDecoder(W3Rows.FIELDS, CodecRegistry.defaults());
  }

  /** Releases the frames. */
  @TearDown
  public void tearDown() {
    frames.release();
  }

  /**
   * Framing and validation only.
   *
   * @param bh sink
   */
  @Benchmark
  @OperationsPerInvocation(W3Rows.ROWS)
  public void frame(Blackhole bh) {
    frames.readerIndex(0);
    BackendMessage m;
    while ((m = parser.decode(frames)) != null) {
      bh.consume(m);
    }
  }

  /**
   * Framing, decoding, and reading each value boxed.
   *
   * @param bh sink
   * @throws Exception never
   */
  @Benchmark
  @OperationsPerInvocation(W3Rows.ROWS)
  public void decodeBoxed(Blackhole bh) throws Exception {
    frames.readerIndex(0);
    BackendMessage m;
    while ((m = parser.decode(frames)) != null) {
      Row r = decoder.decode((DataRow) m);
      bh.consume(r.getInteger(0));
      bh.consume(r.getLong(1));
      bh.consume(r.getString(2));
      bh.consume(r.getDouble(3));
      bh.consume(r.get(4, OffsetDateTime.class));
    }
  }

  /**
   * Framing, decoding, and reading the numbers with the primitive getters.
   *
   * @param bh sink
   * @throws Exception never
   */
  @Benchmark
  @OperationsPerInvocation(W3Rows.ROWS)
  public void decodePrimitive(Blackhole bh) throws Exception {
    frames.readerIndex(0);
    BackendMessage m;
    while ((m = parser.decode(frames)) != null) {
      Row r = decoder.decode((DataRow) m);
      bh.consume(r.intValue(0));
      bh.consume(r.longValue(1));
      bh.consume(r.getString(2));
      bh.consume(r.doubleValue(3));
      bh.consume(r.get(4, OffsetDateTime.class));
    }
  }

  /**
   * Framing and decoding, values not read (what the event loop does per row).
   *
   * @param bh sink
   * @throws Exception never
   */
  @Benchmark
  @OperationsPerInvocation(W3Rows.ROWS)
  public void decodeOnly(Blackhole bh) throws Exception {
    frames.readerIndex(0);
    BackendMessage m;
    while ((m = parser.decode(frames)) != null) {
      bh.consume(decoder.decode((DataRow) m));
    }
  }
}
