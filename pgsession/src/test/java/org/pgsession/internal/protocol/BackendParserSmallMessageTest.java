package org.pgsession.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pgsession.internal.protocol.ParserTestSupport.violation;
import static org.pgsession.internal.protocol.Wire.body;
import static org.pgsession.internal.protocol.Wire.hex;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pgsession.TransactionStatus;

/**
 * The parser's allocation-free path for the frequent small messages (field-less messages,
 * ReadyForQuery, CommandComplete with a repeated tag) gives exactly what the general path gives,
 * and every malformed variant still ends in a violation.
 */
class BackendParserSmallMessageTest {

  private static List<BackendMessage> decodeAll(BackendParser parser, byte[]... frames) {
    List<BackendMessage> out = new ArrayList<>();
    for (byte[] f : frames) {
      ByteBuf in = Unpooled.wrappedBuffer(f);
      try {
        out.add(parser.decode(in));
        assertThat(in.readableBytes()).isZero();
      } finally {
        in.release();
      }
    }
    return out;
  }

  @Test
  void fieldLessMessagesAndReadyForQueryEqualTheGeneralParse() {
    BackendParser parser = new BackendParser(BackendParser.DEFAULT_MAX_MESSAGE_LENGTH);
    assertThat(decodeAll(parser, hex("32 00000004"), hex("31 00000004"), hex("33 00000004"),
        hex("6E 00000004"), hex("73 00000004"), hex("5A 00000005 49"), hex("5A 00000005 54"),
        hex("5A 00000005 45"))).containsExactly(
            new BackendMessage.BindComplete(), new BackendMessage.ParseComplete(),
            new BackendMessage.CloseComplete(), new BackendMessage.NoData(),
            new BackendMessage.PortalSuspended(),
            new BackendMessage.ReadyForQuery(TransactionStatus.IDLE),
            new BackendMessage.ReadyForQuery(TransactionStatus.IN_BLOCK),
            new BackendMessage.ReadyForQuery(TransactionStatus.FAILED));
  }

  @Test
  void repeatedAndAlternatingCommandTagsDecodeToTheirOwnText() {
    BackendParser parser = new BackendParser(BackendParser.DEFAULT_MAX_MESSAGE_LENGTH);
    byte[] select1 = body().cstr("SELECT 1").frame('C');
    byte[] select2 = body().cstr("SELECT 2").frame('C');
    byte[] insert = body().cstr("INSERT 0 10").frame('C');
    byte[] utf8 = body().cstr("TAG é").frame('C');
    byte[] empty = body().cstr("").frame('C');
    List<BackendMessage> got = decodeAll(parser, select1, select1, select2, insert, select1, utf8, utf8, empty, select1);
    assertThat(got).extracting(m -> ((BackendMessage.CommandComplete) m).tag())
        .containsExactly("SELECT 1", "SELECT 1", "SELECT 2", "INSERT 0 10", "SELECT 1", "TAG é", "TAG é", "", "SELECT 1");
  }

  @Test
  void malformedSmallMessagesStillFail() {
    assertThat(violation(hex("5A 00000005 58"))).hasMessageContaining("transaction status");
    assertThat(violation(body().raw("SELECT 1".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).frame('C')))
        .hasMessageContaining("NUL");
    assertThat(violation(body().cstr("SELECT").cstr("1").frame('C'))).hasMessageContaining("trailing");
    assertThat(violation(hex("73 00000005 00"))).hasMessageContaining("PortalSuspended").hasMessageContaining("trailing");
    assertThat(violation(hex("43 00000004"))).hasMessageContaining("CommandComplete");
  }
}
