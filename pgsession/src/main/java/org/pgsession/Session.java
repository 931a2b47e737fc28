package org.pgsession;

import java.time.Duration;
import java.util.List;
import org.pgsession.types.CodecRegistry;

/** STUB: the session facade (being implemented). */
public final class Session implements AutoCloseable {
  private Session() {}

  /** @param server s @param database d @param notify n @return session */
  public static Session connect(ServerConnectInfo server, DatabaseConnectInfo database, SessionStatusNotify notify) {
    return connect(server, database, notify, CodecRegistry.defaults());
  }

  /** @param server s @param database d @param notify n @param registry r @return session */
  public static Session connect(ServerConnectInfo server, DatabaseConnectInfo database, SessionStatusNotify notify,
      CodecRegistry registry) {
    throw new UnsupportedOperationException();
  }

  /** @param query q @param receiver r */
  public void execute(Query query, ResultReceiver receiver) {}
  /** @param query q @param receiver r @param statementTimeout t */
  public void execute(Query query, ResultReceiver receiver, Duration statementTimeout) {}
  /** @param name n @param sql s @param receiver r */
  public void prepare(String name, String sql, PrepareReceiver receiver) {}
  /** @param name n @param sql s @param receiver r @param statementTimeout t */
  public void prepare(String name, String sql, PrepareReceiver receiver, Duration statementTimeout) {}
  /** @param name n */
  public void closeStatement(String name) {}
  /** cancel */
  public void cancel() {}
  /** @param sql s @param receiver r */
  public void copyIn(String sql, CopyInReceiver receiver) {}
  /** @param sql s @param receiver r @param statementTimeout t */
  public void copyIn(String sql, CopyInReceiver receiver, Duration statementTimeout) {}
  /** @param data d */
  public void sendCopyData(byte[] data) {}
  /** finish */
  public void finishCopy() {}
  /** @param reason r */
  public void abortCopy(String reason) {}
  /** @param sql s @param receiver r */
  public void copyOut(String sql, CopyOutReceiver receiver) {}
  /** @param sql s @param receiver r @param statementTimeout t */
  public void copyOut(String sql, CopyOutReceiver receiver, Duration statementTimeout) {}
  /** @param query q @param windowSize w @param receiver r */
  public void stream(ExtendedQuery query, int windowSize, StreamingResultReceiver receiver) {}
  /** @param query q @param windowSize w @param receiver r @param statementTimeout t */
  public void stream(ExtendedQuery query, int windowSize, StreamingResultReceiver receiver, Duration statementTimeout) {}
  /** more */
  public void fetchMore() {}
  /** close stream */
  public void closeStream() {}
  /** @param queries q @param receiver r */
  public void pipeline(List<? extends ExtendedQuery> queries, PipelineReceiver receiver) {}
  /** @param queries q @param receiver r @param statementTimeout t */
  public void pipeline(List<? extends ExtendedQuery> queries, PipelineReceiver receiver, Duration statementTimeout) {}
  /** close */
  @Override
  public void close() {}
}
