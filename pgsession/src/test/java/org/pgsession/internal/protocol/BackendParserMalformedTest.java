package org.pgsession.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.pgsession.internal.protocol.ParserTestSupport.violation;
import static org.pgsession.internal.protocol.Wire.body;
import static org.pgsession.internal.protocol.Wire.hex;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** One test per malformed-input rule: each must end in a ProtocolViolationException. */
class BackendParserMalformedTest {

  @Test
  void unknownTypeByteIsRejectedFromTheHeaderAlone() {
    assertThat(violation(hex("78 00000004"))).hasMessageContaining("unknown backend message type")
        .hasMessageContaining("0x78");
    assertThat(violation(hex("00 00000004"))).hasMessageContaining("0x00");
  }

  @Test
  void unknownTypeByteInParse() {
    ByteBuf body = Unpooled.buffer(0);
    try {
      Throwable t = catchThrowable(() -> BackendParser.parse((byte) 'Q', body));
      assertThat(t).isExactlyInstanceOf(ProtocolViolationException.class)
          .hasMessageContaining("unknown backend message type 0x51");
    } finally {
      body.release();
    }
  }

  @Test
  void lengthBelowFourIsRejected() {
    assertThat(violation(hex("5A 00000003"))).hasMessageContaining("ReadyForQuery")
        .hasMessageContaining("length 3 is below 4");
    assertThat(violation(hex("5A FFFFFFFF"))).hasMessageContaining("length -1 is below 4");
    assertThat(violation(hex("5A 80000000"))).hasMessageContaining("below 4");
  }

  @Test
  void lengthAboveMaximumIsRejectedBeforeTheBodyArrives() {
    // Only the header is there: the parser must not wait for (or allocate) the body.
    assertThat(violation(new BackendParser(1000), hex("44 000003E9")))
        .hasMessageContaining("DataRow").hasMessageContaining("1001")
        .hasMessageContaining("maximum of 1000");
    assertThat(violation(hex("64 7FFFFFFF"))).hasMessageContaining("CopyData")
        .hasMessageContaining("exceeds the maximum");
  }

  @Test
  void trailingBytesAreRejected() {
    assertThat(violation(hex("32 00000005 00"))).hasMessageContaining("BindComplete")
        .hasMessageContaining("1 trailing bytes");
    assertThat(violation(body().cstr("SELECT 1").i8('x').frame('C')))
        .hasMessageContaining("CommandComplete").hasMessageContaining("trailing");
    assertThat(violation(hex("5A 00000006 4949"))).hasMessageContaining("ReadyForQuery")
        .hasMessageContaining("trailing");
    assertThat(violation(body().i32(0).i8(1).frame('R'))).hasMessageContaining("Authentication")
        .hasMessageContaining("trailing");
    assertThat(violation(body().i32(10).cstr("SCRAM-SHA-256").i8(0).i8(9).frame('R')))
        .hasMessageContaining("trailing");
    assertThat(violation(body().i8('S').cstr("E").i8('C').cstr("1").i8('M').cstr("m").i8(0)
        .i8(0).frame('E'))).hasMessageContaining("ErrorResponse").hasMessageContaining("trailing");
  }

  @Test
  void trailingBytesInParseAreRejected() {
    ByteBuf body = Unpooled.wrappedBuffer(hex("49 00"));
    try {
      Throwable t = catchThrowable(() -> BackendParser.parse((byte) 'Z', body));
      assertThat(t).isExactlyInstanceOf(ProtocolViolationException.class)
          .hasMessageContaining("ReadyForQuery").hasMessageContaining("trailing");
    } finally {
      body.release();
    }
  }

  @Test
  void bodyShorterThanItsFieldsIsRejected() {
    assertThat(violation(hex("52 00000006 0000"))).hasMessageContaining("Authentication")
        .hasMessageContaining("too short for authentication code");
    assertThat(violation(hex("4B 00000006 0001"))).hasMessageContaining("BackendKeyData")
        .hasMessageContaining("too short");
    assertThat(violation(hex("5A 00000004"))).hasMessageContaining("ReadyForQuery")
        .hasMessageContaining("too short for transaction status");
    assertThat(violation(hex("41 00000006 0001"))).hasMessageContaining("NotificationResponse")
        .hasMessageContaining("too short for process id");
    assertThat(violation(body().i16(2).i32(23).frame('t')))
        .hasMessageContaining("ParameterDescription").hasMessageContaining("needs 8 bytes");
    assertThat(violation(body().i8(0).i16(2).i16(0).frame('H')))
        .hasMessageContaining("CopyOutResponse").hasMessageContaining("needs 4 bytes");
    assertThat(violation(body().i32(0).frame('v'))).hasMessageContaining("NegotiateProtocolVersion")
        .hasMessageContaining("too short for option count");
  }

  @Test
  void rowDescriptionWithTruncatedFieldIsRejected() {
    // Count 1, the name and only part of the fixed fields.
    byte[] frame = body().i16(1).cstr("id").i32(0).i16(1).i32(23).i16(4).i32(-1).frame('T');
    assertThat(violation(frame)).hasMessageContaining("RowDescription")
        .hasMessageContaining("too short for format code");
  }

  @Test
  void rowDescriptionCountAboveWhatTheBodyCanHoldIsRejected() {
    assertThat(violation(body().i16(3).cstr("id").i32(0).i16(1).i32(23).i16(4).i32(-1).i16(0)
        .frame('T'))).hasMessageContaining("RowDescription").hasMessageContaining("field count 3");
  }

  @Test
  void negativeCountsAreRejected() {
    assertThat(violation(body().i16(-1).frame('D'))).hasMessageContaining("DataRow")
        .hasMessageContaining("negative column count -1");
    assertThat(violation(body().i16(-2).frame('T'))).hasMessageContaining("RowDescription")
        .hasMessageContaining("negative field count -2");
    assertThat(violation(body().i8(0).i16(-1).frame('G'))).hasMessageContaining("CopyInResponse")
        .hasMessageContaining("negative column count");
    assertThat(violation(body().i8(0).i16(0x8000).frame('W')))
        .hasMessageContaining("CopyBothResponse").hasMessageContaining("negative");
    assertThat(violation(body().i32(0).i32(-1).frame('v')))
        .hasMessageContaining("NegotiateProtocolVersion")
        .hasMessageContaining("negative option count -1");
  }

  @Test
  void negotiateProtocolVersionCountAboveBodyIsRejected() {
    assertThat(violation(body().i32(0).i32(1_000_000).cstr("x").frame('v')))
        .hasMessageContaining("option count 1000000 exceeds");
  }

  @Test
  void dataRowFieldLengthBelowMinusOneIsRejected() {
    assertThat(violation(body().i16(1).i32(-2).frame('D'))).hasMessageContaining("DataRow")
        .hasMessageContaining("value 0 has invalid length -2");
    assertThat(violation(body().i16(1).i32(Integer.MIN_VALUE).frame('D')))
        .hasMessageContaining("invalid length -2147483648");
  }

  @Test
  void dataRowFieldLengthAboveRemainingIsRejected() {
    assertThat(violation(body().i16(2).i32(1).raw(hex("41")).i32(5).raw(hex("4243")).frame('D')))
        .hasMessageContaining("DataRow").hasMessageContaining("value 1 length 5 exceeds the 2");
    assertThat(violation(body().i16(1).i32(Integer.MAX_VALUE).frame('D')))
        .hasMessageContaining("exceeds");
  }

  @Test
  void dataRowCountAboveWhatTheBodyCanHoldIsRejected() {
    assertThat(violation(body().i16(32767).i32(0).frame('D'))).hasMessageContaining("DataRow")
        .hasMessageContaining("column count 32767");
  }

  @Test
  void dataRowWithFewerValuesThanCountIsRejected() {
    // Count 2 (needs at least 8 bytes), then one value of 4 bytes: "4 bytes left" style error.
    assertThat(violation(body().i16(2).i32(0).i32(-1).raw(hex("00")).frame('D')))
        .hasMessageContaining("DataRow").hasMessageContaining("trailing");
    assertThat(violation(body().i16(2).i32(4).raw(hex("00000000")).frame('D')))
        .hasMessageContaining("DataRow");
  }

  @Test
  void missingNulTerminatorsAreRejected() {
    assertThat(violation(body().str("SELECT 1").frame('C'))).hasMessageContaining("CommandComplete")
        .hasMessageContaining("missing NUL terminator for command tag");
    assertThat(violation(body().cstr("TimeZone").str("UTC").frame('S')))
        .hasMessageContaining("ParameterStatus").hasMessageContaining("NUL terminator for value");
    assertThat(violation(body().i32(1).cstr("chan").str("pay").frame('A')))
        .hasMessageContaining("NotificationResponse").hasMessageContaining("payload");
    assertThat(violation(body().i16(1).str("col").frame('T')))
        .hasMessageContaining("RowDescription");
    assertThat(violation(body().i8('S').str("ERROR").frame('E')))
        .hasMessageContaining("ErrorResponse").hasMessageContaining("NUL terminator for field 'S'");
    assertThat(violation(body().i32(0).i32(1).str("_pq_.x").frame('v')))
        .hasMessageContaining("NegotiateProtocolVersion").hasMessageContaining("option name");
  }

  @Test
  void saslMechanismListWithoutEmptyTerminatorIsRejected() {
    assertThat(violation(body().i32(10).cstr("SCRAM-SHA-256").frame('R')))
        .hasMessageContaining("Authentication").hasMessageContaining("not terminated");
    assertThat(violation(body().i32(10).str("SCRAM").frame('R')))
        .hasMessageContaining("NUL terminator for SASL mechanism");
  }

  @Test
  void readyForQueryWithUnknownStatusIsRejected() {
    assertThat(violation(hex("5A 00000005 58"))).hasMessageContaining("ReadyForQuery")
        .hasMessageContaining("'I', 'T' or 'E'").hasMessageContaining("0x58");
  }

  @Test
  void md5SaltMustBeFourBytes() {
    assertThat(violation(body().i32(5).raw(hex("010203")).frame('R')))
        .hasMessageContaining("MD5 salt must be 4 bytes, got 3");
    assertThat(violation(body().i32(5).raw(hex("0102030405")).frame('R')))
        .hasMessageContaining("MD5 salt must be 4 bytes, got 5");
    assertThat(violation(body().i32(5).frame('R'))).hasMessageContaining("got 0");
  }

  @Test
  void backendKeyMustBeFourTo256Bytes() {
    assertThat(violation(body().i32(1).raw(hex("010203")).frame('K')))
        .hasMessageContaining("BackendKeyData").hasMessageContaining("4..256 bytes, got 3");
    assertThat(violation(body().i32(1).raw(new byte[257]).frame('K')))
        .hasMessageContaining("got 257");
  }

  @Test
  void errorResponseWithoutSeverityIsRejected() {
    assertThat(violation(body().i8('C').cstr("XX000").i8('M').cstr("m").i8(0).frame('E')))
        .hasMessageContaining("ErrorResponse").hasMessageContaining("missing severity");
  }

  @Test
  void errorResponseWithoutCodeIsRejected() {
    assertThat(violation(body().i8('S').cstr("ERROR").i8('M').cstr("m").i8(0).frame('E')))
        .hasMessageContaining("ErrorResponse").hasMessageContaining("missing SQLSTATE code");
  }

  @Test
  void errorResponseWithoutMessageIsRejected() {
    assertThat(violation(body().i8('V').cstr("ERROR").i8('C').cstr("XX000").i8(0).frame('E')))
        .hasMessageContaining("ErrorResponse").hasMessageContaining("missing message");
  }

  @Test
  void errorResponseWithoutTerminatorIsRejected() {
    assertThat(violation(body().i8('S').cstr("ERROR").i8('C').cstr("1").i8('M').cstr("m")
        .frame('E'))).hasMessageContaining("ErrorResponse").hasMessageContaining("not terminated");
    assertThat(violation(hex("45 00000004"))).hasMessageContaining("not terminated");
  }

  @Test
  void noticeResponseFieldRulesApplyToo() {
    assertThat(violation(body().i8('S').cstr("NOTICE").i8('C').cstr("00000").i8(0).frame('N')))
        .hasMessageContaining("NoticeResponse").hasMessageContaining("missing message");
    assertThat(violation(body().i8('M').cstr("m").i8('C').cstr("00000").i8(0).frame('N')))
        .hasMessageContaining("NoticeResponse").hasMessageContaining("missing severity");
    assertThat(violation(body().i8('S').cstr("NOTICE").i8('M').cstr("m").i8(0).frame('N')))
        .hasMessageContaining("missing SQLSTATE");
  }

  @Test
  void copyFormatsOutsideZeroOneAreRejected() {
    assertThat(violation(body().i8(2).i16(0).frame('G'))).hasMessageContaining("CopyInResponse")
        .hasMessageContaining("overall format must be 0 or 1, got 2");
    assertThat(violation(body().i8(1).i16(1).i16(7).frame('H')))
        .hasMessageContaining("column 0 format must be 0 or 1, got 7");
  }

  @Test
  void maximumBelowFourIsRefused() {
    assertThat(catchThrowable(() -> new BackendParser(3)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
