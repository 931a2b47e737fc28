package org.pgsession.internal.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.pgsession.PipelineReceiver;
import org.pgsession.PreparedQuery;
import org.pgsession.Session;
import org.pgsession.TransactionStatus;
import org.pgsession.internal.protocol.BackendMessage.FieldDescription;
import org.pgsession.internal.transport.Transport;
import org.pgsession.types.CodecRegistry;

/**
 * What the client writes for a W2 batch of 100 cached point queries: {@code BatchOp.start} on a
 * session whose cache holds the statement (per query Bind + Execute, one Sync), into a buffer of
 * the session's allocator that a fake transport releases. Per query (100 per op); run with
 * {@code -prof gc} for bytes per query.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class BatchWriteBench {
  static final int QUERIES = 100;
  static final String SQL = "SELECT id, name FROM bench_point WHERE id = $1";
  Host host;
  List<PreparedQuery> batch;

  /** A cache holding the point statement, and the batch. */
  @Setup
  public void setUp() {
    CodecRegistry registry = CodecRegistry.defaults();
    host = new Host(registry);
    batch = new ArrayList<>();
    for (int i = 0; i < QUERIES; i++) {
      batch.add(PreparedQuery.of(SQL, 4711 + i));
    }
    int[] oids = {23};
    host.cache.add(new StatementCache.Key(SQL, oids), host.cache.newName(), oids,
        List.of(new FieldDescription("id", 0, (short) 1, 23, (short) 4, -1, (short) 0),
            new FieldDescription("name", 0, (short) 2, 25, (short) -1, -1, (short) 0)));
  }

  /**
   * Writes one batch.
   *
   * @param bh sink
   */
  @Benchmark
  @OperationsPerInvocation(QUERIES)
  public void writeBatch(Blackhole bh) {
    BatchOp op = new BatchOp(batch, NO_RECEIVER, null);
    bh.consume(op.start(host));
    bh.consume(host.bytes);
  }

  private static final PipelineReceiver NO_RECEIVER = new PipelineReceiver() {
    @Override
    public void pgPipelineResult(Session s, int index, org.pgsession.Result r) { }

    @Override
    public void pgPipelineFailed(Session s, int index, org.pgsession.ExtendedQuery q, org.pgsession.QueryFailure f) { }

    @Override
    public void pgPipelineComplete(Session s) { }
  };

  /** The session side BatchOp needs; its transport counts and releases what is sent. */
  static final class Host implements OperationHost, Transport {
    final CodecRegistry registry;
    final StatementCache cache;
    final StatementDescriptions descriptions;
    long bytes;

    Host(CodecRegistry registry) {
      this.registry = registry;
      this.cache = new StatementCache(registry, 256);
      this.descriptions = new StatementDescriptions(registry);
    }

    @Override public Session session() { return null; }
    @Override public CodecRegistry registry() { return registry; }
    @Override public StatementDescriptions descriptions() { return descriptions; }
    @Override public StatementCache statementCache() { return cache; }
    @Override public TransactionStatus transactionStatus() { return TransactionStatus.IDLE; }
    @Override public Transport transport() { return this; }
    @Override public Set<String> copyInStatements() { return Set.of(); }
    @Override public boolean writtenBehindHead() { return false; }
    @Override public ByteBufAllocator alloc() { return ByteBufAllocator.DEFAULT; }

    @Override
    public void send(ByteBuf buf) {
      bytes += buf.readableBytes();
      buf.release();
    }

    @Override public void sendThen(ByteBuf buf, Runnable written) { send(buf); written.run(); }
    @Override public long bytesSent() { return bytes; }
    @Override public void cork() { }
    @Override public void uncork() { }
    @Override public boolean isWritable() { return true; }
    @Override public void close() { }
    @Override public void sendAndClose(ByteBuf last, Duration deadline) { send(last); }
    @Override public boolean osChecksLiveness() { return true; }
    @Override public SocketAddress remoteAddress() { return null; }
    @Override public EventLoop loop() { return null; }
  }
}
