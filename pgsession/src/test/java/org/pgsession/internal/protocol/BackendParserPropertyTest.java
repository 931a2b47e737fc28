package org.pgsession.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.NoticeResponseMessage;
import org.pgsession.TransactionStatus;
import org.pgsession.internal.protocol.BackendMessage.*;

/**
 * Random valid message streams, split at random points, must decode back to the same messages;
 * random garbage must only ever produce ProtocolViolationException.
 */
class BackendParserPropertyTest {

  private static final int ITERATIONS = 300;

  @Test
  void randomStreamsSplitAtRandomPointsRoundTrip() {
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    for (int iter = 0; iter < ITERATIONS; iter++) {
      try {
        roundTrip(rnd);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("failed at iteration " + iter + " with seed " + seed, e);
      }
    }
  }

  private static void roundTrip(Random rnd) {
    List<BackendMessage> expected = new ArrayList<>();
    int count = 1 + rnd.nextInt(20);
    ByteBuf stream = Unpooled.buffer();
    ByteBuf cumulation = Unpooled.buffer();
    try {
      for (int i = 0; i < count; i++) {
        BackendMessage m = randomMessage(rnd);
        expected.add(m);
        BackendMessageWriter.write(stream, m);
      }
      byte[] bytes = ByteBufUtil.getBytes(stream);
      BackendParser parser = new BackendParser(BackendParser.DEFAULT_MAX_MESSAGE_LENGTH);
      List<BackendMessage> actual = new ArrayList<>();
      int pos = 0;
      while (pos < bytes.length) {
        int chunk = Math.min(bytes.length - pos, rnd.nextInt(4) == 0 ? 1 : 1 + rnd.nextInt(64));
        cumulation.writeBytes(bytes, pos, chunk);
        pos += chunk;
        BackendMessage m;
        while ((m = parser.decode(cumulation)) != null) {
          // A DataRow is a view valid during dispatch only: describe it now, as a consumer must.
          actual.add(m instanceof DataRow row ? row.copy() : m);
        }
        cumulation.discardReadBytes();
      }
      assertThat(cumulation.readableBytes()).as("undecoded bytes").isZero();
      assertThat(MessageContent.of(actual)).isEqualTo(MessageContent.of(expected));
    } finally {
      stream.release();
      cumulation.release();
    }
  }

  @Test
  void garbageOnlyEverYieldsProtocolViolations() {
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    for (int iter = 0; iter < 2000; iter++) {
      // Start from a valid frame, then flip bytes, truncate or extend it.
      ByteBuf valid = Unpooled.buffer();
      BackendMessageWriter.write(valid, randomMessage(rnd));
      byte[] b = ByteBufUtil.getBytes(valid);
      valid.release();
      int flips = 1 + rnd.nextInt(3);
      for (int f = 0; f < flips; f++) {
        int at = rnd.nextInt(b.length);
        // Keep the header's length sane half of the time so body parsing is exercised.
        if (at >= 1 && at <= 4 && rnd.nextBoolean()) {
          continue;
        }
        b[at] = (byte) rnd.nextInt(256);
      }
      ByteBuf in = Unpooled.wrappedBuffer(b);
      try {
        BackendParser parser = new BackendParser(1 << 16);
        Throwable t = catchThrowable(() -> {
          while (parser.decode(in) != null) {
            // keep going
          }
        });
        if (t != null && !(t instanceof ProtocolViolationException)) {
          throw new AssertionError("seed " + seed + ", iteration " + iter + ": unexpected "
              + t, t);
        }
      } finally {
        in.release();
      }
    }
  }

  static BackendMessage randomMessage(Random rnd) {
    switch (rnd.nextInt(33)) {
      case 0: return new AuthenticationOk();
      case 1: return new AuthenticationCleartextPassword();
      case 2: return new AuthenticationMD5Password(bytes(rnd, 4));
      case 3: {
        List<String> ms = new ArrayList<>();
        for (int i = rnd.nextInt(3); i > 0; i--) {
          ms.add(nonEmpty(rnd));
        }
        return new AuthenticationSASL(List.copyOf(ms));
      }
      case 4: return new AuthenticationSASLContinue(bytes(rnd, rnd.nextInt(100)));
      case 5: return new AuthenticationSASLFinal(bytes(rnd, rnd.nextInt(100)));
      case 6: return new AuthenticationKerberosV5();
      case 7: return new AuthenticationSCMCredential();
      case 8: return new AuthenticationGSS();
      case 9: return new AuthenticationGSSContinue(bytes(rnd, rnd.nextInt(50)));
      case 10: return new AuthenticationSSPI();
      case 11: return new AuthenticationUnknown(13 + rnd.nextInt(1000));
      case 12: return new BackendKeyData(rnd.nextInt(), bytes(rnd, 4 + rnd.nextInt(253)));
      case 13: return new BindComplete();
      case 14: return new CloseComplete();
      case 15: return new CommandComplete(string(rnd));
      case 16: return new CopyData(bytes(rnd, rnd.nextInt(300)));
      case 17: return new CopyDone();
      case 18: return new CopyInResponse(rnd.nextInt(2), formats(rnd));
      case 19: return new CopyOutResponse(rnd.nextInt(2), formats(rnd));
      case 20: return new CopyBothResponse(rnd.nextInt(2), formats(rnd));
      case 21: return dataRow(rnd);
      case 22: return new EmptyQueryResponse();
      case 23: return new ErrorResponse(error(rnd));
      case 24: {
        ErrorResponseMessage e = error(rnd);
        return new NoticeResponse(new NoticeResponseMessage(e.severity(), e.localizedSeverity(),
            e.code(), e.message(), e.detail(), e.hint(), e.position(), e.internalPosition(),
            e.internalQuery(), e.where(), e.schemaName(), e.tableName(), e.columnName(),
            e.dataTypeName(), e.constraintName(), e.file(), e.line(), e.routine()));
      }
      case 25: {
        List<String> opts = new ArrayList<>();
        for (int i = rnd.nextInt(4); i > 0; i--) {
          opts.add(string(rnd));
        }
        return new NegotiateProtocolVersion(rnd.nextInt(3), List.copyOf(opts));
      }
      case 26: return new NoData();
      case 27: return new NotificationResponse(rnd.nextInt(), string(rnd), string(rnd));
      case 28: {
        int[] oids = new int[rnd.nextInt(10)];
        for (int i = 0; i < oids.length; i++) {
          oids[i] = rnd.nextInt();
        }
        return new ParameterDescription(oids);
      }
      case 29: return new ParameterStatus(string(rnd), string(rnd));
      case 30: return rnd.nextBoolean() ? new ParseComplete() : new PortalSuspended();
      case 31:
        return new ReadyForQuery(TransactionStatus.values()[rnd.nextInt(3)]);
      default: {
        List<FieldDescription> fields = new ArrayList<>();
        for (int i = rnd.nextInt(6); i > 0; i--) {
          fields.add(new FieldDescription(string(rnd), rnd.nextInt(), (short) rnd.nextInt(),
              rnd.nextInt(), (short) rnd.nextInt(), rnd.nextInt(), (short) rnd.nextInt(2)));
        }
        return new RowDescription(List.copyOf(fields));
      }
    }
  }

  private static DataRow dataRow(Random rnd) {
    byte[][] values = new byte[rnd.nextInt(8)][];
    for (int i = 0; i < values.length; i++) {
      values[i] = rnd.nextInt(5) == 0 ? null : bytes(rnd, rnd.nextInt(50));
    }
    return DataRow.of(values);
  }

  private static ErrorResponseMessage error(Random rnd) {
    String[] v = new String[18];
    for (int i = 0; i < v.length; i++) {
      v[i] = i < 4 ? string(rnd) : rnd.nextBoolean() ? null : string(rnd);
    }
    return new ErrorResponseMessage(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9],
        v[10], v[11], v[12], v[13], v[14], v[15], v[16], v[17]);
  }

  private static short[] formats(Random rnd) {
    short[] f = new short[rnd.nextInt(6)];
    for (int i = 0; i < f.length; i++) {
      f[i] = (short) rnd.nextInt(2);
    }
    return f;
  }

  private static byte[] bytes(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  private static String nonEmpty(Random rnd) {
    String s = string(rnd);
    return s.isEmpty() ? "x" : s;
  }

  /** Valid UTF-8 text without NUL: ASCII, Latin, CJK and a supplementary code point. */
  private static String string(Random rnd) {
    StringBuilder b = new StringBuilder();
    for (int i = rnd.nextInt(12); i > 0; i--) {
      switch (rnd.nextInt(4)) {
        case 0 -> b.appendCodePoint(0x20 + rnd.nextInt(0x5F));
        case 1 -> b.appendCodePoint(0xA0 + rnd.nextInt(0x100));
        case 2 -> b.appendCodePoint(0x4E00 + rnd.nextInt(0x100));
        default -> b.appendCodePoint(0x1F600 + rnd.nextInt(0x40));
      }
    }
    return b.toString();
  }
}
