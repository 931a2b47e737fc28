package org.pgsession.r2dbc;

import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The result of one statement (one binding set): a cold sequence of segments, consumed once by
 * {@link #map}, {@link #getRowsUpdated} or {@link #flatMap}. For a streamed statement
 * ({@code fetchSize}) the segments come from the server as demand asks for them, and cancelling
 * closes the stream.
 */
final class PgsessionResult implements Result {
  private final Flux<Segment> segments;

  PgsessionResult(Flux<Segment> segments) {
    this.segments = segments;
  }

  @Override
  public Mono<Long> getRowsUpdated() {
    return segments.<Long>handle((segment, sink) -> {
      if (segment instanceof UpdateCount u) {
        sink.next(u.value());
      } else if (segment instanceof Message m) {
        sink.error(m.exception());
      }
    }).reduce(Long::sum);
  }

  @Override
  public <T> Flux<T> map(BiFunction<Row, RowMetadata, ? extends T> mappingFunction) {
    Args.notNull(mappingFunction, "mappingFunction");
    return segments.handle((segment, sink) -> {
      if (segment instanceof RowSegment r) {
        sink.next(mappingFunction.apply(r.row(), r.row().getMetadata()));
      } else if (segment instanceof Message m) {
        sink.error(m.exception());
      }
    });
  }

  @Override
  public <T> Flux<T> map(Function<? super Readable, ? extends T> mappingFunction) {
    Args.notNull(mappingFunction, "mappingFunction");
    return map((row, metadata) -> mappingFunction.apply(row));
  }

  @Override
  public Result filter(Predicate<Segment> filter) {
    Args.notNull(filter, "filter");
    return new PgsessionResult(segments.filter(filter));
  }

  @Override
  public <T> Flux<T> flatMap(Function<Segment, ? extends Publisher<? extends T>> mappingFunction) {
    Args.notNull(mappingFunction, "mappingFunction");
    return segments.concatMap(mappingFunction);
  }

  @Override
  public String toString() {
    return "PgsessionResult";
  }
}
