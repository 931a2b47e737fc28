package org.pgsession.r2dbc;

import io.r2dbc.spi.Result;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pgsession.Column;
import org.pgsession.ExtendedQuery;
import org.pgsession.QueryFailure;
import org.pgsession.PgException;
import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.StreamingResultReceiver;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Streams one query's rows as R2DBC segments in windows of {@code fetchSize} rows: the stream
 * starts at the first request, the next window is fetched only when the previous one was
 * delivered and downstream still has demand, and cancelling closes the server-side stream.
 *
 * <p>{@code fetchMore}/{@code closeStream} name this receiver, so a late call never reaches a
 * later stream of the same session; {@code parked} (taken by compare-and-set) makes sure each
 * window is asked for once.
 */
final class RowStream implements StreamingResultReceiver {
  private final Session session;
  private final ExtendedQuery query;
  private final String sql;
  private final FluxSink<Result.Segment> sink;
  /** A window was delivered and the stream waits for fetchMore or closeStream. */
  private final AtomicBoolean parked = new AtomicBoolean();
  private volatile boolean cancelled;
  private List<Column> lastColumns;
  private Metadata lastMetadata;

  private RowStream(Session session, ExtendedQuery query, String sql, FluxSink<Result.Segment> sink) {
    this.session = session;
    this.query = query;
    this.sql = sql;
    this.sink = sink;
  }

  /** @return the segments of the streamed query; it runs when subscribed */
  static Flux<Result.Segment> segments(Session session, ExtendedQuery query, String sql, int fetchSize) {
    return Flux.create(sink -> {
      RowStream stream = new RowStream(session, query, sql, sink);
      sink.onRequest(n -> stream.demand());
      sink.onCancel(stream::cancel);
      session.stream(query, fetchSize, stream);
    });
  }

  @Override
  public void pgStreamBatch(Session s, Rows rows) {
    if (rows.columns() != lastColumns) {
      lastColumns = rows.columns();
      lastMetadata = new Metadata(lastColumns);
    }
    for (org.pgsession.Row row : rows) {
      sink.next(new Segments.RowSegment(new PgsessionRow(row, lastColumns, lastMetadata)));
    }
    parked.set(true);
    if (cancelled) {
      unpark(true);
    } else if (sink.requestedFromDownstream() > 0) {
      unpark(false);
    }
  }

  @Override
  public void pgStreamComplete(Session s) {
    parked.set(false);
    sink.complete();
  }

  @Override
  public void pgStreamFailed(Session s, ExtendedQuery q, QueryFailure failure) {
    parked.set(false);
    sink.error(Errors.translate(new PgException(failure), sql));
  }

  private void demand() {
    if (!cancelled && sink.requestedFromDownstream() > 0) {
      unpark(false);
    }
  }

  private void cancel() {
    cancelled = true;
    unpark(true);
  }

  private void unpark(boolean close) {
    if (parked.compareAndSet(true, false)) {
      if (close) {
        session.closeStream(this);
      } else {
        session.fetchMore(this);
      }
    }
  }
}
