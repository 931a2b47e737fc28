package org.pgsession.examples.features;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import org.pgsession.PreparedQuery;
import org.pgsession.Row;
import org.pgsession.Session;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;

/**
 * Streams a large result without holding it in memory: a {@link Flow.Publisher} whose windows
 * are fetched from the server only as the subscriber asks for rows.
 */
public final class StreamingExample implements Example {
  @Override
  public String name() {
    return "streaming";
  }

  @Override
  public String summary() {
    return "Flow.Publisher<Row> over a million rows with bounded memory";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    try (Session session = env.open()) {
      Flow.Publisher<Row> rows = session.stream(PreparedQuery.of("SELECT g FROM generate_series(1, $1) g", 1_000_000),
          1000);
      AtomicLong count = new AtomicLong();
      AtomicLong sum = new AtomicLong();
      CompletableFuture<Void> done = new CompletableFuture<>();
      rows.subscribe(new Flow.Subscriber<>() {
        private Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
          subscription = s;
          s.request(500);
        }

        @Override
        public void onNext(Row row) {
          sum.addAndGet(row.getInteger(0));
          if (count.incrementAndGet() % 500 == 0) {
            subscription.request(500); // ask for more only when ready: that is the backpressure
          }
        }

        @Override
        public void onError(Throwable failure) {
          done.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
          done.complete(null);
        }
      });
      ExampleEnv.await(done);
      env.out().println("streamed " + count.get() + " rows, sum " + sum.get());
    }
  }
}
