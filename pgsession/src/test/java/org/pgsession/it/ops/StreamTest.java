package org.pgsession.it.ops;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.PreparedQuery;
import org.pgsession.Row;
import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.SimpleQuery;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgTestExtension;

@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class StreamTest {

  /** Calls fetchMore after every batch until {@code closeAfter} batches, then closeStream. */
  static class Fetcher extends Rec {
    final int closeAfter;
    final boolean fetchBeforeClose;

    Fetcher(int closeAfter, boolean fetchBeforeClose) {
      this.closeAfter = closeAfter;
      this.fetchBeforeClose = fetchBeforeClose;
    }

    @Override
    public void pgStreamBatch(Session s, Rows rows) {
      super.pgStreamBatch(s, rows);
      if (batches.size() == closeAfter) {
        if (fetchBeforeClose) {
          s.fetchMore();
        }
        s.closeStream();
      } else {
        s.fetchMore();
      }
    }
  }

  @Test
  void windowsAreExact() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      Fetcher f = new Fetcher(-1, false);
      s.stream(PreparedQuery.of("SELECT g FROM generate_series(1, $1::int4) g", 1050), 100, f);
      f.await();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        expected.add("batch:100");
      }
      expected.add("batch:50");
      expected.add("complete");
      assertThat(f.events).containsExactlyElementsOf(expected);
      List<Integer> values = new ArrayList<>();
      f.batches.forEach(b -> b.forEach(r -> values.add(r.getInteger(0))));
      for (int i = 0; i < values.size(); i++) {
        assertThat(values.get(i)).isEqualTo(i + 1);
      }
      assertThat(values).hasSize(1050);
      // exactly a multiple of the window: the last window is full, no empty batch after it
      Fetcher g = new Fetcher(-1, false);
      s.stream(PreparedQuery.of("SELECT g FROM generate_series(1, 200) g"), 100, g);
      assertThat(g.await().events).containsExactly("batch:100", "batch:100", "complete");
      Ops.assertUsable(s);
    }
  }

  @Test
  void closeStreamAfterTwoBatches() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      Fetcher f = new Fetcher(2, false);
      s.stream(PreparedQuery.of("SELECT g FROM generate_series(1, 1050) g"), 100, f);
      f.await();
      Ops.assertUsable(s); // everything for the stream has arrived by now
      assertThat(f.events).containsExactly("batch:100", "batch:100", "complete");
      assertThat(f.batches.get(1).get(99).getInteger(0)).isEqualTo(200);

      // close requested while the next window is in flight: that window is dropped
      Fetcher g = new Fetcher(2, true);
      s.stream(PreparedQuery.of("SELECT g FROM generate_series(1, 1050) g"), 100, g);
      g.await();
      Ops.assertUsable(s);
      assertThat(g.events).containsExactly("batch:100", "batch:100", "complete");
    }
  }

  @Test
  void failureMidStream() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      Fetcher f = new Fetcher(-1, false);
      s.stream(PreparedQuery.of("SELECT 1/(g-150) FROM generate_series(1,300) g"), 100, f);
      assertThat(f.awaitFailureCode()).isEqualTo("22012");
      Ops.assertUsable(s);
      assertThat(f.events).containsExactly("batch:100", "failed:22012");
      Row first = f.batches.get(0).get(0);
      assertThat(first.getInteger(0)).isEqualTo(0);
    }
  }

  @Test
  void fetchMoreAndCloseStreamWithoutAStreamAreNoOps() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      s.fetchMore();
      s.closeStream();
      Ops.assertUsable(s);
      Rec r = new Rec();
      s.execute(new SimpleQuery("SELECT pg_sleep(0.1)"), r);
      s.fetchMore();
      s.closeStream();
      assertThat(r.await().events).containsExactly("result");
      Ops.assertUsable(s);
      assertThat(o.events().isShutdown()).isFalse();
    }
  }

  /** An empty query answers Execute with EmptyQueryResponse only: the stream must still end. */
  @Test
  void emptyQueryCompletesWithoutBatches() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      Fetcher f = new Fetcher(-1, false);
      s.stream(PreparedQuery.of(""), 10, f);
      f.await();
      assertThat(f.events).containsExactly("complete");
      Ops.assertUsable(s);
      Fetcher again = new Fetcher(-1, false); // statement description now known: one write
      s.stream(PreparedQuery.of(""), 10, again);
      assertThat(again.await().events).containsExactly("complete");
      Ops.assertUsable(s);
    }
  }
}
