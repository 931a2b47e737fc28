package org.pgsession.internal.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.NoticeResponseMessage;
import org.pgsession.TransactionStatus;
import org.pgsession.internal.protocol.BackendMessage.*;

/** Test-only: serializes {@link BackendMessage} records the way a server would. */
final class BackendMessageWriter {
  private BackendMessageWriter() {}

  /** Writes one whole frame. */
  static void write(ByteBuf out, BackendMessage m) {
    int start = out.writerIndex();
    out.writeByte(type(m));
    out.writeInt(0);
    body(out, m);
    out.setInt(start + 1, out.writerIndex() - start - 1);
  }

  static byte type(BackendMessage m) {
    if (m instanceof AuthenticationOk || m instanceof AuthenticationCleartextPassword
        || m instanceof AuthenticationMD5Password || m instanceof AuthenticationSASL
        || m instanceof AuthenticationSASLContinue || m instanceof AuthenticationSASLFinal
        || m instanceof AuthenticationKerberosV5 || m instanceof AuthenticationSCMCredential
        || m instanceof AuthenticationGSS || m instanceof AuthenticationGSSContinue
        || m instanceof AuthenticationSSPI || m instanceof AuthenticationUnknown) {
      return 'R';
    }
    if (m instanceof BackendKeyData) return 'K';
    if (m instanceof BindComplete) return '2';
    if (m instanceof CloseComplete) return '3';
    if (m instanceof CommandComplete) return 'C';
    if (m instanceof CopyData) return 'd';
    if (m instanceof CopyDone) return 'c';
    if (m instanceof CopyInResponse) return 'G';
    if (m instanceof CopyOutResponse) return 'H';
    if (m instanceof CopyBothResponse) return 'W';
    if (m instanceof DataRow) return 'D';
    if (m instanceof EmptyQueryResponse) return 'I';
    if (m instanceof ErrorResponse) return 'E';
    if (m instanceof NoticeResponse) return 'N';
    if (m instanceof NegotiateProtocolVersion) return 'v';
    if (m instanceof NoData) return 'n';
    if (m instanceof NotificationResponse) return 'A';
    if (m instanceof ParameterDescription) return 't';
    if (m instanceof ParameterStatus) return 'S';
    if (m instanceof ParseComplete) return '1';
    if (m instanceof PortalSuspended) return 's';
    if (m instanceof ReadyForQuery) return 'Z';
    if (m instanceof RowDescription) return 'T';
    throw new IllegalArgumentException(m.toString());
  }

  private static void body(ByteBuf out, BackendMessage m) {
    if (m instanceof AuthenticationOk) {
      out.writeInt(0);
    } else if (m instanceof AuthenticationKerberosV5) {
      out.writeInt(2);
    } else if (m instanceof AuthenticationCleartextPassword) {
      out.writeInt(3);
    } else if (m instanceof AuthenticationMD5Password a) {
      out.writeInt(5).writeBytes(a.salt());
    } else if (m instanceof AuthenticationSCMCredential) {
      out.writeInt(6);
    } else if (m instanceof AuthenticationGSS) {
      out.writeInt(7);
    } else if (m instanceof AuthenticationGSSContinue a) {
      out.writeInt(8).writeBytes(a.data());
    } else if (m instanceof AuthenticationSSPI) {
      out.writeInt(9);
    } else if (m instanceof AuthenticationSASL a) {
      out.writeInt(10);
      a.mechanisms().forEach(s -> cstr(out, s));
      out.writeByte(0);
    } else if (m instanceof AuthenticationSASLContinue a) {
      out.writeInt(11).writeBytes(a.data());
    } else if (m instanceof AuthenticationSASLFinal a) {
      out.writeInt(12).writeBytes(a.data());
    } else if (m instanceof AuthenticationUnknown a) {
      out.writeInt(a.code());
    } else if (m instanceof BackendKeyData k) {
      out.writeInt(k.processId()).writeBytes(k.secretKey());
    } else if (m instanceof CommandComplete c) {
      cstr(out, c.tag());
    } else if (m instanceof CopyData c) {
      out.writeBytes(c.data());
    } else if (m instanceof CopyInResponse c) {
      copyResponse(out, c.overallFormat(), c.columnFormats());
    } else if (m instanceof CopyOutResponse c) {
      copyResponse(out, c.overallFormat(), c.columnFormats());
    } else if (m instanceof CopyBothResponse c) {
      copyResponse(out, c.overallFormat(), c.columnFormats());
    } else if (m instanceof DataRow d) {
      out.writeShort(d.size());
      for (int i = 0; i < d.size(); i++) {
        out.writeInt(d.length(i));
        if (d.length(i) > 0) {
          out.writeBytes(d.buffer(), d.offset(i), d.length(i));
        }
      }
    } else if (m instanceof ErrorResponse e) {
      ErrorResponseMessage x = e.error();
      fields(out, List.of(x.localizedSeverity(), x.severity(), x.code(), x.message(), opt(x.detail()),
          opt(x.hint()), opt(x.position()), opt(x.internalPosition()), opt(x.internalQuery()),
          opt(x.where()), opt(x.schemaName()), opt(x.tableName()), opt(x.columnName()),
          opt(x.dataTypeName()), opt(x.constraintName()), opt(x.file()), opt(x.line()),
          opt(x.routine())));
    } else if (m instanceof NoticeResponse n) {
      NoticeResponseMessage x = n.notice();
      fields(out, List.of(x.localizedSeverity(), x.severity(), x.code(), x.message(), opt(x.detail()),
          opt(x.hint()), opt(x.position()), opt(x.internalPosition()), opt(x.internalQuery()),
          opt(x.where()), opt(x.schemaName()), opt(x.tableName()), opt(x.columnName()),
          opt(x.dataTypeName()), opt(x.constraintName()), opt(x.file()), opt(x.line()),
          opt(x.routine())));
    } else if (m instanceof NegotiateProtocolVersion v) {
      out.writeInt(v.newestMinorVersion()).writeInt(v.unrecognizedOptions().size());
      v.unrecognizedOptions().forEach(s -> cstr(out, s));
    } else if (m instanceof NotificationResponse n) {
      out.writeInt(n.processId());
      cstr(out, n.channel());
      cstr(out, n.payload());
    } else if (m instanceof ParameterDescription p) {
      out.writeShort(p.typeOids().length);
      for (int oid : p.typeOids()) {
        out.writeInt(oid);
      }
    } else if (m instanceof ParameterStatus p) {
      cstr(out, p.name());
      cstr(out, p.value());
    } else if (m instanceof ReadyForQuery r) {
      out.writeByte(r.status() == TransactionStatus.IDLE ? 'I'
          : r.status() == TransactionStatus.IN_BLOCK ? 'T' : 'E');
    } else if (m instanceof RowDescription r) {
      out.writeShort(r.fields().size());
      for (FieldDescription f : r.fields()) {
        cstr(out, f.name());
        out.writeInt(f.tableOid()).writeShort(f.columnNumber()).writeInt(f.typeOid())
            .writeShort(f.typeSize()).writeInt(f.typeModifier()).writeShort(f.format());
      }
    }
    // BindComplete, CloseComplete, CopyDone, EmptyQueryResponse, NoData, ParseComplete,
    // PortalSuspended: empty body.
  }

  private static final String CODES = "SVCMDHPpqWstcdnFLR";

  private static String opt(String s) {
    return s == null ? "\0" : s; // "\0" marks absent (List.of rejects null)
  }

  private static void fields(ByteBuf out, List<String> values) {
    for (int i = 0; i < values.size(); i++) {
      if (!values.get(i).equals("\0")) {
        out.writeByte(CODES.charAt(i));
        cstr(out, values.get(i));
      }
    }
    out.writeByte(0);
  }

  private static void copyResponse(ByteBuf out, int overall, short[] formats) {
    out.writeByte(overall).writeShort(formats.length);
    for (short f : formats) {
      out.writeShort(f);
    }
  }

  private static void cstr(ByteBuf out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8)).writeByte(0);
  }
}
