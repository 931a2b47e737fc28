package org.pgsession.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.pgsession.chaos.BackendMessages;
import org.pgsession.internal.protocol.BackendMessage;
import org.pgsession.internal.protocol.BackendParser;
import org.pgsession.internal.protocol.ProtocolViolationException;

/**
 * Fuzzes the backend parser (jqwik). Invariant for every input: each decode step yields a
 * message, "need more bytes" (null) or a {@link ProtocolViolationException}; never another
 * exception, and never an allocation beyond a bound set by the frame limit and the input size
 * (a hostile length or count field must not make the parser allocate what it claims).
 *
 * <p>Tries default to the CI size ({@code jqwik.tries.default} in junit-platform.properties);
 * the long run overrides it, see docs/RELIABILITY.md.
 */
class BackendParserFuzzTest {
  /** A small frame limit, so over-long frames are common. */
  private static final int MAX_FRAME = 4096;
  /** Slack for the message objects themselves (strings, lists, a stack trace for a violation). */
  private static final long FIXED_ALLOWANCE = 256 * 1024;

  private static final char[] TYPES = "RK23CdcGHWDIEvnNAtS1sZT".toCharArray();

  static {
    warmUp();
  }

  /** Runs every body parser once on valid and on empty input, so class loading is not counted as allocation. */
  static void warmUp() {
    for (int round = 0; round < 3; round++) {
      for (byte[] m : validMessages()) {
        decodeUnchecked(m);
      }
      for (char t : TYPES) {
        decodeUnchecked(new byte[] {(byte) t, 0, 0, 0, 4});
        decodeUnchecked(new byte[] {(byte) t, 0, 0, 0, 6, 0, 1});
      }
    }
  }

  private static void decodeUnchecked(byte[] frame) {
    try {
      new BackendParser(MAX_FRAME).decode(Unpooled.wrappedBuffer(frame));
    } catch (ProtocolViolationException ignored) {
      // warming up the violation path too
    }
  }

  /** Every kind of valid backend message, as framed bytes. */
  static List<byte[]> validMessages() {
    List<byte[]> m = new ArrayList<>();
    m.add(BackendMessages.authenticationOk());
    m.add(BackendMessages.authenticationMd5(new byte[] {1, 2, 3, 4}));
    m.add(BackendMessages.authenticationSasl("SCRAM-SHA-256", "SCRAM-SHA-256-PLUS"));
    m.add(BackendMessages.saslContinue("r=abc,s=c2FsdA==,i=4096"));
    m.add(BackendMessages.saslFinal("v=c2lnbmF0dXJl"));
    m.add(BackendMessages.authenticationGss());
    m.add(BackendMessages.backendKeyData(42, 7));
    m.add(BackendMessages.bindComplete());
    m.add(BackendMessages.closeComplete());
    m.add(BackendMessages.commandComplete("INSERT 0 5"));
    m.add(BackendMessages.copyData(new byte[] {1, 2, 3}));
    m.add(BackendMessages.copyDone());
    m.add(BackendMessages.copyInResponse(2));
    m.add(BackendMessages.copyOutResponse(3));
    m.add(BackendMessages.copyBothResponse(1));
    m.add(BackendMessages.dataRow("1", null, "three"));
    m.add(BackendMessages.emptyQueryResponse());
    m.add(BackendMessages.errorResponse("ERROR", "42P01", "no such table"));
    m.add(BackendMessages.negotiateProtocolVersion(0, "_pq_.x"));
    m.add(BackendMessages.noData());
    m.add(BackendMessages.notice("careful"));
    m.add(BackendMessages.notification(1, "chan", "payload"));
    m.add(BackendMessages.parameterDescription(23, 25));
    m.add(BackendMessages.parameterStatus("TimeZone", "UTC"));
    m.add(BackendMessages.parseComplete());
    m.add(BackendMessages.portalSuspended());
    m.add(BackendMessages.readyForQuery('T'));
    m.add(BackendMessages.rowDescription(BackendMessages.Column.text("a"), new BackendMessages.Column("b", 23, 1)));
    return m;
  }

  @Provide
  Arbitrary<byte[]> mutatedStreams() {
    Arbitrary<byte[]> message = Arbitraries.of(validMessages());
    Arbitrary<byte[]> stream = message.list().ofMinSize(1).ofMaxSize(6)
        .map(list -> BackendMessages.concat(list.toArray(new byte[0][])));
    return Combinators.combine(stream, Arbitraries.integers().between(0, 8), Arbitraries.longs())
        .as(BackendParserFuzzTest::mutate);
  }

  /** Flips, overwrites (with boundary values), truncates or extends a valid stream. */
  static byte[] mutate(byte[] in, int mutations, long seed) {
    java.util.Random rnd = new java.util.Random(seed);
    byte[] b = in.clone();
    for (int i = 0; i < mutations && b.length > 0; i++) {
      int at = rnd.nextInt(b.length);
      switch (rnd.nextInt(5)) {
        case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
        case 1 -> b[at] = (byte) new int[] {0, 0xff, 0x7f, 0x80, 1}[rnd.nextInt(5)];
        case 2 -> b = java.util.Arrays.copyOf(b, at);
        case 3 -> {
          if (at + 4 <= b.length) { // a hostile int32 (length, count, field length)
            int v = new int[] {-1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0, 1 << 30, 65535}[rnd.nextInt(6)];
            b[at] = (byte) (v >>> 24);
            b[at + 1] = (byte) (v >>> 16);
            b[at + 2] = (byte) (v >>> 8);
            b[at + 3] = (byte) v;
          }
        }
        default -> {
          byte[] longer = java.util.Arrays.copyOf(b, b.length + 1 + rnd.nextInt(8));
          rnd.nextBytes(new byte[0]);
          b = longer;
        }
      }
    }
    return b;
  }

  @Property
  void mutatedValidStreamsOnlyDecodeOrViolate(@ForAll("mutatedStreams") byte[] input) {
    decodeAll(new BackendParser(MAX_FRAME), input);
    decodeAll(new BackendParser(BackendParser.DEFAULT_MAX_MESSAGE_LENGTH), input);
  }

  @Property
  void randomBytesOnlyDecodeOrViolate(@ForAll @Size(max = 300) byte[] input) {
    decodeAll(new BackendParser(MAX_FRAME), input);
  }

  @Provide
  Arbitrary<Character> types() {
    return Arbitraries.of(new String(TYPES).chars().mapToObj(c -> (char) c).toList());
  }

  @Property
  void everyBodyParserOnlyParsesOrViolates(@ForAll("types") char type, @ForAll @Size(max = 200) byte[] body) {
    Runnable parse = () -> {
      try {
        BackendMessage m = BackendParser.parse((byte) type, Unpooled.wrappedBuffer(body));
        assertThat(m).isNotNull();
      } catch (ProtocolViolationException e) {
        assertThat(e.getMessage()).isNotBlank();
      }
    };
    checkBounded(parse, body.length, "type " + type + " body " + java.util.HexFormat.of().formatHex(body));
  }

  /** Decodes frame after frame until "need more bytes" or a violation, checking the invariant. */
  static void decodeAll(BackendParser parser, byte[] input) {
    checkBounded(() -> decodeAllUnbounded(parser, input), input.length, java.util.HexFormat.of().formatHex(input));
  }

  private static void decodeAllUnbounded(BackendParser parser, byte[] input) {
    ByteBuf in = Unpooled.wrappedBuffer(input);
    try {
      while (true) {
        int readerIndex = in.readerIndex();
        BackendMessage m = parser.decode(in);
        if (m == null) {
          assertThat(in.readerIndex()).as("need more bytes leaves the buffer alone").isEqualTo(readerIndex);
          break;
        }
        assertThat(in.readerIndex()).as("a message consumes its frame").isGreaterThan(readerIndex);
      }
    } catch (ProtocolViolationException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  /**
   * Runs the decoding and checks its allocation; over the bound it runs it once more, so
   * one-time JVM work on the thread (call-site linkage, class initialisation) is not blamed on
   * the decoder, and fails only if the repeat is over the bound too.
   */
  static void checkBounded(Runnable decoding, int inputSize, String input) {
    long before = Allocation.now();
    decoding.run();
    if (Allocation.now() - before > FIXED_ALLOWANCE + 64L * inputSize) {
      before = Allocation.now();
      decoding.run();
      assertBounded(before, inputSize, input);
    }
  }

  private static void assertBounded(long before, int inputSize, String input) {
    long allocated = Allocation.now() - before;
    assertThat(allocated).as("bytes allocated decoding %d input bytes: %s", inputSize, input)
        .isLessThanOrEqualTo(FIXED_ALLOWANCE + 64L * inputSize);
  }
}
