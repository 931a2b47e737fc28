package org.pgsession.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.PreparedQuery;
import org.pgsession.Session;
import org.pgsession.it.Await;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgTestExtension;

/** {@code fetchMore(owner)} and {@code closeStream(owner)} act only on the stream that owner receives. */
@ExtendWith(PgTestExtension.class)
class StreamOwnerTest {

  @Test
  void callsNamingAnotherReceiverAreNoOps() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      Rec mine = new Rec();
      Rec other = new Rec();
      s.stream(PreparedQuery.of("SELECT g FROM generate_series(1, 100) g"), 10, mine);
      Await.until("first window", () -> mine.batches.size() == 1);
      s.fetchMore(other); // would fetch an extra window if it reached this stream
      s.closeStream(other); // would end it before the second window
      s.fetchMore(mine);
      Await.until("second window", () -> mine.batches.size() == 2);
      s.closeStream(mine);
      mine.await();
      assertThat(mine.events).containsExactly("batch:10", "batch:10", "complete");
      assertThat(other.events).isEmpty();
      Ops.assertUsable(s);
    }
  }
}
