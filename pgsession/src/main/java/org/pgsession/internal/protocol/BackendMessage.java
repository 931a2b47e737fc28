package org.pgsession.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Objects;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.NoticeResponseMessage;
import org.pgsession.TransactionStatus;

/**
 * Every message a PostgreSQL v3 backend can send, as validated immutable values.
 * Produced by {@link BackendParser}; a message that does not fit its grammar never becomes
 * one of these (the parser throws {@link ProtocolViolationException} instead).
 */
public sealed interface BackendMessage {

  /** Authentication succeeded ('R', code 0). */
  record AuthenticationOk() implements BackendMessage {}
  /** Server asks for a cleartext password (code 3). */
  record AuthenticationCleartextPassword() implements BackendMessage {}
  /** Server asks for an MD5 password hash with this 4-byte salt (code 5). */
  record AuthenticationMD5Password(byte[] salt) implements BackendMessage {}
  /** Server offers SASL with these mechanisms (code 10). */
  record AuthenticationSASL(List<String> mechanisms) implements BackendMessage {}
  /** SASL challenge data (code 11). */
  record AuthenticationSASLContinue(byte[] data) implements BackendMessage {}
  /** SASL outcome data, to verify (code 12). */
  record AuthenticationSASLFinal(byte[] data) implements BackendMessage {}
  /** Kerberos V5 (code 2); unsupported by this driver. */
  record AuthenticationKerberosV5() implements BackendMessage {}
  /** SCM credentials (code 6); unsupported by this driver. */
  record AuthenticationSCMCredential() implements BackendMessage {}
  /** GSSAPI (code 7); unsupported by this driver. */
  record AuthenticationGSS() implements BackendMessage {}
  /** GSSAPI continuation (code 8); unsupported by this driver. */
  record AuthenticationGSSContinue(byte[] data) implements BackendMessage {}
  /** SSPI (code 9); unsupported by this driver. */
  record AuthenticationSSPI() implements BackendMessage {}
  /** An authentication code this driver does not know. */
  record AuthenticationUnknown(int code) implements BackendMessage {}

  /** Cancellation key: process id and a secret of 4..256 bytes. */
  record BackendKeyData(int processId, byte[] secretKey) implements BackendMessage {}
  /** Bind finished. */
  record BindComplete() implements BackendMessage {}
  /** Close finished. */
  record CloseComplete() implements BackendMessage {}
  /** A statement finished; {@code tag} is the command tag, e.g. {@code "INSERT 0 3"}. */
  record CommandComplete(String tag) implements BackendMessage {}
  /** A chunk of COPY data. */
  record CopyData(byte[] data) implements BackendMessage {}
  /** End of COPY OUT data. */
  record CopyDone() implements BackendMessage {}
  /** The server is ready for COPY IN data. {@code overallFormat} 0 text, 1 binary. */
  record CopyInResponse(int overallFormat, short[] columnFormats) implements BackendMessage {}
  /** The server starts sending COPY OUT data. */
  record CopyOutResponse(int overallFormat, short[] columnFormats) implements BackendMessage {}
  /** Start of COPY BOTH (replication); unsupported beyond parsing. */
  record CopyBothResponse(int overallFormat, short[] columnFormats) implements BackendMessage {}
  /**
   * One row, as a view over the bytes it arrived in: value {@code i} occupies
   * {@link #length(int) length(i)} bytes of {@link #buffer()} from index
   * {@link #offset(int) offset(i)}, or is SQL NULL when its length is -1. The parser has checked
   * every length (-1 or 0..remaining) and that the values fill the body exactly.
   *
   * <p>A DataRow from {@link BackendParser#decode} is only valid while it is dispatched: the
   * parser reuses it for the next row and the inbound buffer is released afterwards. Decode its
   * values before returning, or keep a {@link #copy()}. Never retain or release its buffer.
   */
  final class DataRow implements BackendMessage {
    private static final int[] NONE = new int[0];
    private ByteBuf buf;
    private int[] offsets = NONE;
    private int[] lengths = NONE;
    private int size;

    DataRow() {}

    /**
     * A row over its own heap copy of {@code values}, for tests and tools.
     *
     * @param values each value's bytes, null for SQL NULL
     * @return the row
     */
    public static DataRow of(byte[]... values) {
      ByteBuf body = Unpooled.buffer();
      body.writeShort(values.length);
      for (byte[] v : values) {
        body.writeInt(v == null ? -1 : v.length);
        if (v != null) {
          body.writeBytes(v);
        }
      }
      DataRow row = new DataRow();
      row.fill(body, body.readerIndex(), body.writerIndex(), "DataRow");
      return row;
    }

    /**
     * Points this view at the body {@code buf[start, end)} after validating its layout: a
     * non-negative count, every length -1 or 0..remaining, no bytes after the last value.
     *
     * @throws ProtocolViolationException if the body is malformed (the view is then empty)
     */
    void fill(ByteBuf buf, int start, int end, String name) {
      this.buf = null;
      this.size = 0;
      int pos = start;
      if (end - pos < 2) {
        throw violation(name, "body too short for column count (need 2 bytes, " + (end - pos)
            + " left)");
      }
      int n = buf.getShort(pos);
      pos += 2;
      if (n < 0) {
        throw violation(name, "negative column count " + n);
      }
      // Each value needs at least its 4-byte length: bound the arrays by the body size.
      if (end - pos < 4L * n) {
        throw violation(name, "column count " + n + " needs at least " + 4L * n + " bytes, "
            + (end - pos) + " left");
      }
      if (offsets.length < n) {
        offsets = new int[n];
        lengths = new int[n];
      }
      int[] offs = offsets;
      int[] lens = lengths;
      for (int i = 0; i < n; i++) {
        if (end - pos < 4) {
          throw violation(name, "body too short for value length (need 4 bytes, " + (end - pos)
              + " left)");
        }
        int len = buf.getInt(pos);
        pos += 4;
        if (len < -1) {
          throw violation(name, "value " + i + " has invalid length " + len);
        }
        if (len > end - pos) {
          throw violation(name, "value " + i + " length " + len + " exceeds the " + (end - pos)
              + " bytes left");
        }
        offs[i] = pos;
        lens[i] = len;
        if (len > 0) {
          pos += len;
        }
      }
      if (pos != end) {
        throw violation(name, (end - pos) + " trailing bytes after the last field");
      }
      this.buf = buf;
      this.size = n;
    }

    private static ProtocolViolationException violation(String name, String what) {
      return new ProtocolViolationException(name + ": " + what);
    }

    /** @return number of values in the row */
    public int size() {
      return size;
    }

    /** @param i value index @return its length in bytes, -1 for SQL NULL */
    public int length(int i) {
      return lengths[Objects.checkIndex(i, size)];
    }

    /** @param i value index @return the index of its first byte in {@link #buffer()} */
    public int offset(int i) {
      return offsets[Objects.checkIndex(i, size)];
    }

    /** @return the buffer the values are in; not to be retained, released or modified */
    public ByteBuf buffer() {
      return buf;
    }

    /** @param i value index @return a copy of its bytes, or null for SQL NULL */
    public byte[] bytes(int i) {
      int len = length(i);
      return len < 0 ? null : ByteBufUtil.getBytes(buf, offsets[i], len);
    }

    /** @return an independent row over a heap copy of the values, valid after dispatch */
    public DataRow copy() {
      byte[][] values = new byte[size][];
      for (int i = 0; i < size; i++) {
        values[i] = bytes(i);
      }
      return of(values);
    }

    @Override
    public String toString() {
      return "DataRow[" + size + " values]";
    }
  }
  /** The query string was empty. */
  record EmptyQueryResponse() implements BackendMessage {}
  /** An error; severity, code and message are always present. */
  record ErrorResponse(ErrorResponseMessage error) implements BackendMessage {}
  /** The server supports only an older minor version and not these options. */
  record NegotiateProtocolVersion(int newestMinorVersion, List<String> unrecognizedOptions)
      implements BackendMessage {}
  /** The statement or portal returns no rows. */
  record NoData() implements BackendMessage {}
  /** A notice; severity, code and message are always present. */
  record NoticeResponse(NoticeResponseMessage notice) implements BackendMessage {}
  /** A LISTEN/NOTIFY notification. */
  record NotificationResponse(int processId, String channel, String payload)
      implements BackendMessage {}
  /** Parameter type OIDs of a described statement. */
  record ParameterDescription(int[] typeOids) implements BackendMessage {}
  /** A run-time parameter's current value. */
  record ParameterStatus(String name, String value) implements BackendMessage {}
  /** Parse finished. */
  record ParseComplete() implements BackendMessage {}
  /** Execute stopped at its row limit; the portal can be resumed. */
  record PortalSuspended() implements BackendMessage {}
  /** The backend is ready for a new query cycle, in this transaction state. */
  record ReadyForQuery(TransactionStatus status) implements BackendMessage {}
  /** Column descriptions of the rows to come. */
  record RowDescription(List<FieldDescription> fields) implements BackendMessage {}

  /** One column of a {@link RowDescription}. {@code format} 0 text, 1 binary. */
  record FieldDescription(String name, int tableOid, short columnNumber, int typeOid,
      short typeSize, int typeModifier, short format) {}
}
