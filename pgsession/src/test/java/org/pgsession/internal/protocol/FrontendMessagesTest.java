package org.pgsession.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pgsession.internal.protocol.Wire.a;
import static org.pgsession.internal.protocol.Wire.hex;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class FrontendMessagesTest {

  /** Runs the writer on a buffer that already holds a byte, returns what the writer added. */
  private static byte[] written(Consumer<ByteBuf> writer) {
    ByteBuf buf = Unpooled.buffer(4);
    try {
      buf.writeByte(0x7F); // prefix: writers must append, not overwrite
      writer.accept(buf);
      assertThat(buf.getByte(0)).isEqualTo((byte) 0x7F);
      return ByteBufUtil.getBytes(buf, 1, buf.writerIndex() - 1);
    } finally {
      buf.release();
    }
  }

  /** Asserts the writer throws {@code type} and left the buffer as it was. */
  private static <T extends Throwable> T rejects(Class<T> type, Consumer<ByteBuf> writer) {
    ByteBuf buf = Unpooled.buffer(16);
    try {
      FrontendMessages.sync(buf);
      Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> writer.accept(buf));
      assertThat(t).isInstanceOf(type);
      assertThat(buf.writerIndex()).isEqualTo(5);
      assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(hex("53 00000004"));
      return type.cast(t);
    } finally {
      buf.release();
    }
  }

  @Test
  void sslRequest() {
    assertThat(written(FrontendMessages::sslRequest)).isEqualTo(hex("00000008 04D2162F"));
  }

  @Test
  void cancelRequestWithFourByteKey() {
    assertThat(written(b -> FrontendMessages.cancelRequest(b, 0x01020304,
        hex("AABBCCDD")))).isEqualTo(hex("00000010 04D2162E 01020304 AABBCCDD"));
  }

  @Test
  void cancelRequestWithLongKey() {
    byte[] key = new byte[256];
    Arrays.fill(key, (byte) 0x5A);
    byte[] out = written(b -> FrontendMessages.cancelRequest(b, 7, key));
    assertThat(Arrays.copyOf(out, 12)).isEqualTo(hex("0000010C 04D2162E 00000007"));
    assertThat(Arrays.copyOfRange(out, 12, out.length)).isEqualTo(key);
  }

  @Test
  void cancelRequestRejectsBadKeyLengths() {
    rejects(IllegalArgumentException.class, b -> FrontendMessages.cancelRequest(b, 1,
        new byte[3]));
    rejects(IllegalArgumentException.class, b -> FrontendMessages.cancelRequest(b, 1,
        new byte[257]));
  }

  @Test
  void startupMessageKeepsParameterOrder() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("user", "bob");
    p.put("database", "db");
    assertThat(written(b -> FrontendMessages.startupMessage(b, 3, 0, p))).isEqualTo(hex(
        "0000001E 00030000" + a("user") + "00" + a("bob") + "00" + a("database") + "00"
            + a("db") + "00 00"));
    Map<String, String> reversed = new LinkedHashMap<>();
    reversed.put("database", "db");
    reversed.put("user", "bob");
    assertThat(written(b -> FrontendMessages.startupMessage(b, 3, 2, reversed))).isEqualTo(hex(
        "0000001E 00030002" + a("database") + "00" + a("db") + "00" + a("user") + "00"
            + a("bob") + "00 00"));
  }

  @Test
  void startupMessageRejectsEmptyNameAndNul() {
    rejects(IllegalArgumentException.class, b -> FrontendMessages.startupMessage(b, 3, 0,
        Map.of("", "x")));
    rejects(IllegalArgumentException.class, b -> FrontendMessages.startupMessage(b, 3, 0,
        Map.of("user", "a\0b")));
    rejects(IllegalArgumentException.class, b -> FrontendMessages.startupMessage(b, 70000, 0,
        Map.of()));
  }

  @Test
  void passwordMessage() {
    assertThat(written(b -> FrontendMessages.passwordMessage(b, "secret")))
        .isEqualTo(hex("70 0000000B" + a("secret") + "00"));
  }

  @Test
  void passwordWithNulIsRejectedWithoutRevealingIt() {
    IllegalArgumentException e = rejects(IllegalArgumentException.class,
        b -> FrontendMessages.passwordMessage(b, "hunter2\0x"));
    assertThat(e).hasMessageContaining("password").hasMessageNotContaining("hunter2");
  }

  @Test
  void saslInitialResponse() {
    assertThat(written(b -> FrontendMessages.saslInitialResponse(b, "SCRAM-SHA-256",
        "n,,n=*,r=abc".getBytes()))).isEqualTo(hex("70 00000022" + a("SCRAM-SHA-256") + "00"
            + "0000000C" + a("n,,n=*,r=abc")));
  }

  @Test
  void saslInitialResponseWithoutData() {
    assertThat(written(b -> FrontendMessages.saslInitialResponse(b, "SCRAM-SHA-256", null)))
        .isEqualTo(hex("70 00000016" + a("SCRAM-SHA-256") + "00 FFFFFFFF"));
  }

  @Test
  void saslResponse() {
    assertThat(written(b -> FrontendMessages.saslResponse(b, "c=biws".getBytes())))
        .isEqualTo(hex("70 0000000A" + a("c=biws")));
  }

  @Test
  void query() {
    assertThat(written(b -> FrontendMessages.query(b, "SELECT 1")))
        .isEqualTo(hex("51 0000000D" + a("SELECT 1") + "00"));
  }

  @Test
  void queryCountsUtf8Bytes() {
    // 'é' is two bytes in UTF-8: 11 bytes of text + NUL + 4 = 16.
    assertThat(written(b -> FrontendMessages.query(b, "SELECT 'é'")))
        .isEqualTo(hex("51 00000010" + a("SELECT '") + "C3A9 27 00"));
  }

  @Test
  void queryWithNulIsRejected() {
    rejects(IllegalArgumentException.class, b -> FrontendMessages.query(b, "SELECT 1;\0DROP"));
  }

  @Test
  void parse() {
    assertThat(written(b -> FrontendMessages.parse(b, "s1", "SELECT $1", new int[] {23})))
        .isEqualTo(hex("50 00000017" + a("s1") + "00" + a("SELECT $1") + "00 0001 00000017"));
    assertThat(written(b -> FrontendMessages.parse(b, "", "SELECT 1", null)))
        .isEqualTo(hex("50 00000010 00" + a("SELECT 1") + "00 0000"));
  }

  @Test
  void parseAcceptsExactly65535Oids() {
    byte[] out = written(b -> FrontendMessages.parse(b, "", "x", new int[65535]));
    assertThat(out).hasSize(1 + 4 + 1 + 2 + 2 + 4 * 65535);
    assertThat(Arrays.copyOfRange(out, 8, 10)).isEqualTo(hex("FFFF"));
  }

  @Test
  void parseRejectsMoreThan65535Oids() {
    rejects(IllegalArgumentException.class, b -> FrontendMessages.parse(b, "", "x",
        new int[65536]));
  }

  @Test
  void bind() {
    byte[][] values = {hex("0000002A"), null, new byte[0]};
    assertThat(written(b -> FrontendMessages.bind(b, "p1", "s1", new short[] {1}, values,
        new short[] {1, 0}))).isEqualTo(hex("42 00000026" + a("p1") + "00" + a("s1") + "00"
            + "0001 0001" + "0003 00000004 0000002A FFFFFFFF 00000000" + "0002 0001 0000"));
  }

  @Test
  void bindWithNothing() {
    assertThat(written(b -> FrontendMessages.bind(b, "", "", null, null, null)))
        .isEqualTo(hex("42 0000000C 00 00 0000 0000 0000"));
  }

  @Test
  void bindRejectsTooManyParametersOrFormats() {
    rejects(IllegalArgumentException.class, b -> FrontendMessages.bind(b, "", "", null,
        new byte[65536][], null));
    rejects(IllegalArgumentException.class, b -> FrontendMessages.bind(b, "", "", null, null,
        new short[65536]));
    rejects(IllegalArgumentException.class, b -> FrontendMessages.bind(b, "", "",
        new short[65536], new byte[65536][], null));
  }

  @Test
  void bindRejectsFormatCountThatMatchesNothing() {
    rejects(IllegalArgumentException.class, b -> FrontendMessages.bind(b, "", "",
        new short[2], new byte[3][], null));
  }

  @Test
  void oversizedBindIsRejectedBeforeWritingAByte() {
    // 65,535 references to one 17 KB array: > 1 GiB on the wire, ~17 KB in memory.
    byte[] value = new byte[17 * 1024];
    byte[][] values = new byte[65535][];
    Arrays.fill(values, value);
    MessageTooLargeException e = rejects(MessageTooLargeException.class,
        b -> FrontendMessages.bind(b, "", "", new short[] {1}, values, null));
    assertThat(e).hasMessageContaining("Bind").hasMessageContaining("1141095434");
  }

  @Test
  void bindOneByteOverTheLimitIsRejected() {
    int n = 65535;
    byte[] big = new byte[16380];
    // Bind("", "", no formats, n values, no result formats) is 12 + 4n + sum(values) long.
    long fixed = 12 + 4L * n + (long) (n - 1) * big.length;
    byte[] last = new byte[(int) (FrontendMessages.MAX_MESSAGE_LENGTH + 1L - fixed)];
    byte[][] values = new byte[n][];
    Arrays.fill(values, big);
    values[n - 1] = last;
    MessageTooLargeException e = rejects(MessageTooLargeException.class,
        b -> FrontendMessages.bind(b, "", "", null, values, null));
    assertThat(e).hasMessageContaining(String.valueOf(FrontendMessages.MAX_MESSAGE_LENGTH + 1L));
  }

  @Test
  void describe() {
    assertThat(written(b -> FrontendMessages.describe(b, (byte) 'S', "s1")))
        .isEqualTo(hex("44 00000008 53" + a("s1") + "00"));
    assertThat(written(b -> FrontendMessages.describe(b, (byte) 'P', "")))
        .isEqualTo(hex("44 00000006 50 00"));
  }

  @Test
  void describeAndCloseRejectUnknownKind() {
    rejects(IllegalArgumentException.class, b -> FrontendMessages.describe(b, (byte) 'X', ""));
    rejects(IllegalArgumentException.class, b -> FrontendMessages.close(b, (byte) 's', ""));
  }

  @Test
  void execute() {
    assertThat(written(b -> FrontendMessages.execute(b, "", 0)))
        .isEqualTo(hex("45 00000009 00 00000000"));
    assertThat(written(b -> FrontendMessages.execute(b, "p1", 100)))
        .isEqualTo(hex("45 0000000B" + a("p1") + "00 00000064"));
    rejects(IllegalArgumentException.class, b -> FrontendMessages.execute(b, "", -1));
  }

  @Test
  void emptyMessages() {
    assertThat(written(FrontendMessages::sync)).isEqualTo(hex("53 00000004"));
    assertThat(written(FrontendMessages::flush)).isEqualTo(hex("48 00000004"));
    assertThat(written(FrontendMessages::terminate)).isEqualTo(hex("58 00000004"));
    assertThat(written(FrontendMessages::copyDone)).isEqualTo(hex("63 00000004"));
  }

  @Test
  void close() {
    assertThat(written(b -> FrontendMessages.close(b, (byte) 'S', "s1")))
        .isEqualTo(hex("43 00000008 53" + a("s1") + "00"));
    assertThat(written(b -> FrontendMessages.close(b, (byte) 'P', "")))
        .isEqualTo(hex("43 00000006 50 00"));
  }

  @Test
  void copyData() {
    assertThat(written(b -> FrontendMessages.copyData(b, hex("0102030405"), 1, 3)))
        .isEqualTo(hex("64 00000007 020304"));
    assertThat(written(b -> FrontendMessages.copyData(b, hex("0102"))))
        .isEqualTo(hex("64 00000006 0102"));
    assertThat(written(b -> FrontendMessages.copyData(b, new byte[0])))
        .isEqualTo(hex("64 00000004"));
    rejects(IndexOutOfBoundsException.class, b -> FrontendMessages.copyData(b, new byte[2], 1,
        2));
  }

  @Test
  void copyFail() {
    assertThat(written(b -> FrontendMessages.copyFail(b, "boom")))
        .isEqualTo(hex("66 00000009" + a("boom") + "00"));
    rejects(IllegalArgumentException.class, b -> FrontendMessages.copyFail(b, "a\0"));
  }

  @Test
  void nulInNamesIsRejected() {
    rejects(IllegalArgumentException.class, b -> FrontendMessages.parse(b, "s\0", "x", null));
    rejects(IllegalArgumentException.class, b -> FrontendMessages.bind(b, "\0", "", null, null,
        null));
    rejects(IllegalArgumentException.class, b -> FrontendMessages.describe(b, (byte) 'S',
        "\0"));
    rejects(IllegalArgumentException.class, b -> FrontendMessages.execute(b, "\0", 0));
    rejects(IllegalArgumentException.class, b -> FrontendMessages.saslInitialResponse(b,
        "SCRAM\0", null));
  }
}
