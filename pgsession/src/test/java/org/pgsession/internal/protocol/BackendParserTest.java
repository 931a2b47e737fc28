package org.pgsession.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pgsession.internal.protocol.ParserTestSupport.decodeOne;
import static org.pgsession.internal.protocol.Wire.body;
import static org.pgsession.internal.protocol.Wire.hex;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.NoticeResponseMessage;
import org.pgsession.TransactionStatus;
import org.pgsession.internal.protocol.BackendMessage.*;

/** Parsing of every backend message kind from hand-built bytes. */
class BackendParserTest {

  @Test
  void authenticationCodesWithoutData() {
    assertThat(decodeOne(body().i32(0).frame('R'))).isEqualTo(new AuthenticationOk());
    assertThat(decodeOne(body().i32(2).frame('R'))).isEqualTo(new AuthenticationKerberosV5());
    assertThat(decodeOne(body().i32(3).frame('R')))
        .isEqualTo(new AuthenticationCleartextPassword());
    assertThat(decodeOne(body().i32(6).frame('R')))
        .isEqualTo(new AuthenticationSCMCredential());
    assertThat(decodeOne(body().i32(7).frame('R'))).isEqualTo(new AuthenticationGSS());
    assertThat(decodeOne(body().i32(9).frame('R'))).isEqualTo(new AuthenticationSSPI());
  }

  @Test
  void authenticationMd5() {
    AuthenticationMD5Password m = (AuthenticationMD5Password) decodeOne(
        body().i32(5).raw(hex("01020304")).frame('R'));
    assertThat(m.salt()).isEqualTo(hex("01020304"));
  }

  @Test
  void authenticationGssContinue() {
    AuthenticationGSSContinue m = (AuthenticationGSSContinue) decodeOne(
        body().i32(8).raw(hex("CAFE")).frame('R'));
    assertThat(m.data()).isEqualTo(hex("CAFE"));
  }

  @Test
  void authenticationSasl() {
    assertThat(decodeOne(body().i32(10).cstr("SCRAM-SHA-256-PLUS").cstr("SCRAM-SHA-256")
        .i8(0).frame('R'))).isEqualTo(new AuthenticationSASL(List.of("SCRAM-SHA-256-PLUS",
            "SCRAM-SHA-256")));
    assertThat(decodeOne(body().i32(10).i8(0).frame('R')))
        .isEqualTo(new AuthenticationSASL(List.of()));
  }

  @Test
  void authenticationSaslContinueAndFinal() {
    AuthenticationSASLContinue c = (AuthenticationSASLContinue) decodeOne(
        body().i32(11).str("r=abc,s=xyz,i=4096").frame('R'));
    assertThat(c.data()).asString().isEqualTo("r=abc,s=xyz,i=4096");
    AuthenticationSASLFinal f = (AuthenticationSASLFinal) decodeOne(
        body().i32(12).str("v=abc").frame('R'));
    assertThat(f.data()).asString().isEqualTo("v=abc");
  }

  @Test
  void authenticationUnknownCodeSkipsItsData() {
    assertThat(decodeOne(body().i32(42).raw(hex("010203")).frame('R')))
        .isEqualTo(new AuthenticationUnknown(42));
    assertThat(decodeOne(body().i32(-1).frame('R'))).isEqualTo(new AuthenticationUnknown(-1));
  }

  @Test
  void backendKeyDataShortAndLongKeys() {
    BackendKeyData k = (BackendKeyData) decodeOne(body().i32(4242).raw(hex("DEADBEEF"))
        .frame('K'));
    assertThat(k.processId()).isEqualTo(4242);
    assertThat(k.secretKey()).isEqualTo(hex("DEADBEEF"));
    byte[] key = new byte[256];
    Arrays.fill(key, (byte) 7);
    BackendKeyData longKey = (BackendKeyData) decodeOne(body().i32(1).raw(key).frame('K'));
    assertThat(longKey.secretKey()).isEqualTo(key);
  }

  @Test
  void emptyBodyMessages() {
    assertThat(decodeOne(hex("32 00000004"))).isEqualTo(new BindComplete());
    assertThat(decodeOne(hex("33 00000004"))).isEqualTo(new CloseComplete());
    assertThat(decodeOne(hex("63 00000004"))).isEqualTo(new CopyDone());
    assertThat(decodeOne(hex("49 00000004"))).isEqualTo(new EmptyQueryResponse());
    assertThat(decodeOne(hex("6E 00000004"))).isEqualTo(new NoData());
    assertThat(decodeOne(hex("31 00000004"))).isEqualTo(new ParseComplete());
    assertThat(decodeOne(hex("73 00000004"))).isEqualTo(new PortalSuspended());
  }

  @Test
  void commandComplete() {
    assertThat(decodeOne(body().cstr("INSERT 0 3").frame('C')))
        .isEqualTo(new CommandComplete("INSERT 0 3"));
  }

  @Test
  void invalidUtf8IsDecodedLeniently() {
    CommandComplete c = (CommandComplete) decodeOne(body().str("A").raw(hex("FF")).cstr("B")
        .frame('C'));
    assertThat(c.tag()).isEqualTo("A\uFFFDB");
  }

  @Test
  void copyData() {
    CopyData d = (CopyData) decodeOne(body().raw(hex("00FF10")).frame('d'));
    assertThat(d.data()).isEqualTo(hex("00FF10"));
    assertThat(((CopyData) decodeOne(hex("64 00000004"))).data()).isEmpty();
  }

  @Test
  void copyResponses() {
    CopyInResponse in = (CopyInResponse) decodeOne(body().i8(1).i16(2).i16(1).i16(1)
        .frame('G'));
    assertThat(in.overallFormat()).isEqualTo(1);
    assertThat(in.columnFormats()).containsExactly((short) 1, (short) 1);
    CopyOutResponse out = (CopyOutResponse) decodeOne(body().i8(0).i16(3).i16(0).i16(0).i16(0)
        .frame('H'));
    assertThat(out.overallFormat()).isZero();
    assertThat(out.columnFormats()).containsExactly((short) 0, (short) 0, (short) 0);
    CopyBothResponse both = (CopyBothResponse) decodeOne(body().i8(0).i16(0).frame('W'));
    assertThat(both.columnFormats()).isEmpty();
  }

  @Test
  void dataRowWithValuesNullAndEmpty() {
    DataRow row = (DataRow) decodeOne(body().i16(3).i32(2).raw(hex("4142")).i32(-1).i32(0)
        .frame('D'));
    assertThat(row.size()).isEqualTo(3);
    assertThat(new int[] {row.length(0), row.length(1), row.length(2)}).containsExactly(2, -1, 0);
    assertThat(row.bytes(0)).isEqualTo(hex("4142"));
    assertThat(row.bytes(1)).isNull();
    assertThat(row.bytes(2)).isEmpty();
    assertThat(MessageContent.of(row)).isEqualTo("DataRow[4142, NULL, ]");
  }

  @Test
  void dataRowWithoutColumns() {
    DataRow row = (DataRow) decodeOne(body().i16(0).frame('D'));
    assertThat(row.size()).isZero();
  }

  @Test
  void errorResponseWithAllFields() {
    byte[] frame = body().i8('S').cstr("FEHLER").i8('V').cstr("ERROR").i8('C').cstr("42P01")
        .i8('M').cstr("msg").i8('D').cstr("detail").i8('H').cstr("hint").i8('P').cstr("15")
        .i8('p').cstr("3").i8('q').cstr("iq").i8('W').cstr("where").i8('s').cstr("schema")
        .i8('t').cstr("table").i8('c').cstr("column").i8('d').cstr("type").i8('n')
        .cstr("constraint").i8('F').cstr("file.c").i8('L').cstr("123").i8('R')
        .cstr("routine").i8('X').cstr("unknown code, ignored").i8(0).frame('E');
    assertThat(decodeOne(frame)).isEqualTo(new ErrorResponse(new ErrorResponseMessage("ERROR",
        "FEHLER", "42P01", "msg", "detail", "hint", "15", "3", "iq", "where", "schema", "table",
        "column", "type", "constraint", "file.c", "123", "routine")));
  }

  @Test
  void errorResponseMinimalUsesLocalizedSeverityWhenVIsAbsent() {
    byte[] frame = body().i8('S').cstr("FATAL").i8('C').cstr("28000").i8('M').cstr("no")
        .i8(0).frame('E');
    ErrorResponseMessage e = ((ErrorResponse) decodeOne(frame)).error();
    assertThat(e.severity()).isEqualTo("FATAL");
    assertThat(e.localizedSeverity()).isEqualTo("FATAL");
    assertThat(e.code()).isEqualTo("28000");
    assertThat(e.message()).isEqualTo("no");
    assertThat(e.detail()).isNull();
    assertThat(e.routine()).isNull();
  }

  @Test
  void errorResponseWithOnlyV() {
    ErrorResponseMessage e = ((ErrorResponse) decodeOne(body().i8('V').cstr("ERROR").i8('C')
        .cstr("XX000").i8('M').cstr("m").i8(0).frame('E'))).error();
    assertThat(e.severity()).isEqualTo("ERROR");
    assertThat(e.localizedSeverity()).isEqualTo("ERROR");
  }

  @Test
  void noticeResponse() {
    byte[] frame = body().i8('S').cstr("AVIS").i8('V').cstr("NOTICE").i8('C').cstr("00000")
        .i8('M').cstr("hello").i8('W').cstr("PL/pgSQL").i8(0).frame('N');
    assertThat(decodeOne(frame)).isEqualTo(new NoticeResponse(new NoticeResponseMessage(
        "NOTICE", "AVIS", "00000", "hello", null, null, null, null, null, "PL/pgSQL", null,
        null, null, null, null, null, null, null)));
  }

  @Test
  void negotiateProtocolVersion() {
    assertThat(decodeOne(body().i32(0).i32(2).cstr("_pq_.a").cstr("_pq_.b").frame('v')))
        .isEqualTo(new NegotiateProtocolVersion(0, List.of("_pq_.a", "_pq_.b")));
    assertThat(decodeOne(body().i32(2).i32(0).frame('v')))
        .isEqualTo(new NegotiateProtocolVersion(2, List.of()));
  }

  @Test
  void notificationResponse() {
    assertThat(decodeOne(body().i32(99).cstr("chan").cstr("päyload").frame('A')))
        .isEqualTo(new NotificationResponse(99, "chan", "päyload"));
  }

  @Test
  void parameterDescription() {
    ParameterDescription p = (ParameterDescription) decodeOne(body().i16(2).i32(23).i32(25)
        .frame('t'));
    assertThat(p.typeOids()).containsExactly(23, 25);
  }

  @Test
  void parameterDescriptionCountIsUnsigned() {
    // Parse allows 65535 parameters; the count 0xFFFF is not -1 here.
    Wire w = body().i16(65535);
    for (int i = 0; i < 65535; i++) {
      w.i32(i);
    }
    ParameterDescription p = (ParameterDescription) decodeOne(w.frame('t'));
    assertThat(p.typeOids()).hasSize(65535);
    assertThat(p.typeOids()[65534]).isEqualTo(65534);
  }

  @Test
  void parameterStatus() {
    assertThat(decodeOne(body().cstr("TimeZone").cstr("UTC").frame('S')))
        .isEqualTo(new ParameterStatus("TimeZone", "UTC"));
  }

  @Test
  void readyForQuery() {
    assertThat(decodeOne(hex("5A 00000005 49")))
        .isEqualTo(new ReadyForQuery(TransactionStatus.IDLE));
    assertThat(decodeOne(hex("5A 00000005 54")))
        .isEqualTo(new ReadyForQuery(TransactionStatus.IN_BLOCK));
    assertThat(decodeOne(hex("5A 00000005 45")))
        .isEqualTo(new ReadyForQuery(TransactionStatus.FAILED));
  }

  @Test
  void rowDescription() {
    byte[] frame = body().i16(2)
        .cstr("id").i32(16384).i16(1).i32(23).i16(4).i32(-1).i16(1)
        .cstr("").i32(0).i16(0).i32(25).i16(-1).i32(-1).i16(0)
        .frame('T');
    assertThat(decodeOne(frame)).isEqualTo(new RowDescription(List.of(
        new FieldDescription("id", 16384, (short) 1, 23, (short) 4, -1, (short) 1),
        new FieldDescription("", 0, (short) 0, 25, (short) -1, -1, (short) 0))));
  }

  @Test
  void decodeWaitsForAWholeFrameWithoutConsuming() {
    byte[] frame = body().cstr("SELECT 1").frame('C');
    BackendParser parser = new BackendParser(BackendParser.DEFAULT_MAX_MESSAGE_LENGTH);
    ByteBuf in = Unpooled.buffer();
    try {
      for (int i = 0; i < frame.length - 1; i++) {
        in.writeByte(frame[i]);
        assertThat(parser.decode(in)).as("after %d bytes", i + 1).isNull();
        assertThat(in.readerIndex()).isZero();
      }
      in.writeByte(frame[frame.length - 1]);
      in.writeBytes(hex("5A 00000005")); // part of the next frame stays
      assertThat(parser.decode(in)).isEqualTo(new CommandComplete("SELECT 1"));
      assertThat(in.readerIndex()).isEqualTo(frame.length);
      assertThat(parser.decode(in)).isNull();
      assertThat(in.readerIndex()).isEqualTo(frame.length);
      in.writeByte('I');
      assertThat(parser.decode(in)).isEqualTo(new ReadyForQuery(TransactionStatus.IDLE));
      assertThat(in.isReadable()).isFalse();
    } finally {
      in.release();
    }
  }

  @Test
  void decodeRespectsReaderIndexOfCumulation() {
    ByteBuf in = Unpooled.buffer();
    try {
      in.writeBytes(hex("AABBCC"));
      in.skipBytes(3);
      in.writeBytes(hex("31 00000004 32 00000004"));
      BackendParser parser = new BackendParser(64);
      assertThat(parser.decode(in)).isEqualTo(new ParseComplete());
      assertThat(parser.decode(in)).isEqualTo(new BindComplete());
      assertThat(parser.decode(in)).isNull();
    } finally {
      in.release();
    }
  }

  @Test
  void parseConsumesExactlyTheBody() {
    ByteBuf body = Unpooled.wrappedBuffer(body().cstr("a").cstr("b").bytes());
    try {
      assertThat(BackendParser.parse((byte) 'S', body)).isEqualTo(new ParameterStatus("a", "b"));
      assertThat(body.isReadable()).isFalse();
    } finally {
      body.release();
    }
  }

  @Test
  void frameAtTheConfiguredMaximumIsAccepted() {
    BackendParser parser = new BackendParser(10);
    ByteBuf in = Unpooled.wrappedBuffer(body().raw(hex("010203040506")).frame('d'));
    try {
      assertThat(((CopyData) parser.decode(in)).data()).isEqualTo(hex("010203040506"));
    } finally {
      in.release();
    }
  }
}
