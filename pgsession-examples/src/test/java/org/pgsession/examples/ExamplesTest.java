package org.pgsession.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Runs every example against the embedded servers and checks what it printed. */
class ExamplesTest {
  /** What each example must print: values computed by the server, so a broken feature shows. */
  private static final Map<String, List<String>> EXPECTED = Map.ofEntries(
      Map.entry("query", List.of("answer = 42")),
      Map.entry("prepared-query", List.of("1 squared is 1", "4 squared is 16")),
      Map.entry("named-prepared-query", List.of("hello, alice", "hello, bob")),
      Map.entry("bytea", List.of("stored 5 bytes: 000102feff (identical)")),
      Map.entry("arrays", List.of("length 4, without NULLs [3, 1, 2]", "matrix has 2 rows; the first is [1, 2]")),
      Map.entry("temporal", List.of("launch (UTC) = 2024-02-29T10:30Z", "a month and two days later = 2024-03-31T10:30Z",
          "tomorrow = 2000-01-01", "span = 12 months, 2 hours", "infinity is LocalDate.MAX: true")),
      Map.entry("enum", List.of("better than sad: ok", "better than sad: happy")),
      Map.entry("composite", List.of("doubled: 6 apples")),
      Map.entry("custom-codec", List.of("moved point: Point[x=11.5, y=22.0]")),
      Map.entry("crud-transactions", List.of("inserted 2 accounts", "after transfer: alice=70, bob=80",
          "failed transfer rolled back (SQLSTATE 22012)", "after failed transfer: alice=70, bob=80",
          "deleted 1 account(s)")),
      Map.entry("cancel", List.of("cancelled: SQLSTATE 57014", "still usable")),
      Map.entry("statement-timeout", List.of("timed out with 57014 well before the 10 s sleep ended")),
      Map.entry("connection-timeout", List.of("gave up after 500 ms: ConnectionFailedTimeout")),
      Map.entry("copy-in", List.of("copied 10000 rows; sum of ids 50005000")),
      Map.entry("copy-out", List.of("exported 3 rows:", "1,line 1", "3,line 3")),
      Map.entry("streaming", List.of("streamed 1000000 rows, sum 500000500000")),
      Map.entry("pipeline", List.of("0: 42", "1: failed with 22012", "2: STILL RUNS")),
      Map.entry("listen-notify", List.of(
          "notification on example_channel: hello from the other session (from the sender's backend)")),
      Map.entry("notices", List.of("NOTICE 00000: disk space is fine: 42 GB free")),
      Map.entry("parameter-status", List.of("server_version = ", "encoding UTF8",
          "changed: application_name = example-app")),
      Map.entry("transaction-status", List.of("after connect: IDLE", "after BEGIN: IN_BLOCK",
          "an error (22012) inside the block", "after an error (25P02): FAILED", "after ROLLBACK: IDLE")),
      Map.entry("ssl", List.of("required + verify-full: ssl=true", "preferred against a server without TLS: ssl=false")),
      Map.entry("failover", List.of("refused; connected to the server on port ")),
      Map.entry("pool", List.of("200 queries answered, sum 19900", "inserted 10 rows in one pooled transaction",
          "acquired ")));

  @Test
  void everyExampleHasExpectations() {
    assertThat(EXPECTED.keySet()).containsExactlyInAnyOrderElementsOf(Examples.all().keySet());
  }

  @TestFactory
  Stream<DynamicTest> examplesPrintWhatTheyShow() {
    return Examples.all().values().stream().map(example -> DynamicTest.dynamicTest(example.name(), () -> {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
      example.run(ExampleEnv.create(out));
      String printed = bytes.toString(StandardCharsets.UTF_8);
      for (String expected : EXPECTED.get(example.name())) {
        assertThat(printed).as(example.name() + " printed").contains(expected);
      }
    }));
  }

  @Test
  void poolNeverOpensMoreThanItsMaximum() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Examples.all().get("pool").run(ExampleEnv.create(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
    String line = bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("sessions created: "))
        .findFirst().orElseThrow();
    int created = Integer.parseInt(line.substring("sessions created: ".length(), line.indexOf(' ', 18)));
    assertThat(created).isBetween(1, 4);
  }
}
