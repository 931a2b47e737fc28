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

/** As {@link RowDecodeBench#decodeBoxed}, reading the numbers with the primitive getters. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class RowDecodePrimitiveBench {
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
}
