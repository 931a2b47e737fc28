package org.pgsession.internal.protocol;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.NoticeResponseMessage;
import org.pgsession.TransactionStatus;

/**
 * Turns bytes from a PostgreSQL v3 backend into validated {@link BackendMessage}s.
 *
 * <p>Sans-IO: the caller owns the cumulation buffer and calls {@link #decode} whenever bytes
 * arrive. Every malformed input becomes a {@link ProtocolViolationException}; no other
 * exception escapes for any byte sequence.
 */
public final class BackendParser {

  /** Default largest accepted frame length (the length field's value): PostgreSQL's 1 GiB. */
  public static final int DEFAULT_MAX_MESSAGE_LENGTH = 1 << 30;

  private static final int HEADER = 5;
  private static final int MIN_KEY = 4;
  private static final int MAX_KEY = 256;

  /** Names by type byte, computed once: the hot path builds no strings. */
  private static final String[] NAMES = new String[256];

  static {
    for (int b = 0; b < 256; b++) {
      NAMES[b] = computeName((byte) b);
    }
  }

  private final int maxMessageLength;
  /** The view every DataRow decoded by this parser is given in; see {@link BackendMessage.DataRow}. */
  private final BackendMessage.DataRow row = new BackendMessage.DataRow();

  /**
   * @param maxMessageLength largest accepted value of a frame's length field (which counts
   *     itself but not the type byte); at least 4
   */
  public BackendParser(int maxMessageLength) {
    if (maxMessageLength < 4) {
      throw new IllegalArgumentException("maxMessageLength must be >= 4: " + maxMessageLength);
    }
    this.maxMessageLength = maxMessageLength;
  }

  /**
   * Decodes the next whole frame of {@code in}.
   *
   * <p>The header is validated as soon as its 5 bytes are there, so a hostile length is
   * rejected before the body is waited for or any memory sized by it is allocated.
   *
   * @param in cumulation buffer; on success exactly one frame is consumed from it
   * @return the message, or null (readerIndex unchanged) if {@code in} holds less than a frame.
   *     A {@link BackendMessage.DataRow} is a view over {@code in}, reused for the next row:
   *     valid only until the next call or until {@code in} changes
   * @throws ProtocolViolationException unknown type, bad length or malformed body
   */
  public BackendMessage decode(ByteBuf in) {
    int readable = in.readableBytes();
    if (readable < HEADER) {
      return null;
    }
    int r = in.readerIndex();
    byte type = in.getByte(r);
    int length = in.getInt(r + 1);
    String name = nameOf(type);
    if (name == null) {
      throw new ProtocolViolationException("unknown backend message type " + describeByte(type));
    }
    if (length < 4) {
      throw new ProtocolViolationException(name + ": length " + length + " is below 4");
    }
    if (length > maxMessageLength) {
      throw new ProtocolViolationException(name + ": length " + length
          + " exceeds the maximum of " + maxMessageLength);
    }
    // long arithmetic: 1 + length cannot overflow an int here, but stay obviously safe.
    if (readable < 1L + length) {
      return null;
    }
    int end = r + 1 + length;
    if (type == 'D') {
      // The hot path: validated in place, no slice, no copy, no allocation.
      row.fill(in, r + HEADER, end, name);
      in.readerIndex(end);
      return row;
    }
    BackendMessage small = smallMessage(in, type, r + HEADER, end);
    if (small != null) {
      in.readerIndex(end);
      return small;
    }
    ByteBuf body = in.slice(r + HEADER, length - 4);
    BackendMessage msg = parse(type, body);
    in.readerIndex(end);
    return msg;
  }

  // Shared instances of the field-less messages and of ReadyForQuery: a batch of 100 point
  // queries gets 100 BindComplete and 100 CommandComplete, and a slice, a reader and a record
  // each were most of the allocation while framing that answer.
  private static final BackendMessage BIND_COMPLETE = new BackendMessage.BindComplete();
  private static final BackendMessage PARSE_COMPLETE = new BackendMessage.ParseComplete();
  private static final BackendMessage CLOSE_COMPLETE = new BackendMessage.CloseComplete();
  private static final BackendMessage NO_DATA = new BackendMessage.NoData();
  private static final BackendMessage PORTAL_SUSPENDED = new BackendMessage.PortalSuspended();
  private static final BackendMessage READY_IDLE = new BackendMessage.ReadyForQuery(TransactionStatus.IDLE);
  private static final BackendMessage READY_IN_BLOCK = new BackendMessage.ReadyForQuery(TransactionStatus.IN_BLOCK);
  private static final BackendMessage READY_FAILED = new BackendMessage.ReadyForQuery(TransactionStatus.FAILED);

  /** The last command tag decoded, reused while the server repeats it byte for byte. */
  private ByteBuf lastTagBytes;
  private BackendMessage.CommandComplete lastTag;

  /**
   * The frequent small messages without a slice or a reader: the same result as {@link #parse}
   * for a well-formed body, or null to take the general path (which also reports what is wrong).
   */
  private BackendMessage smallMessage(ByteBuf in, byte type, int start, int end) {
    int n = end - start;
    switch (type) {
      case '2': return n == 0 ? BIND_COMPLETE : null;
      case '1': return n == 0 ? PARSE_COMPLETE : null;
      case '3': return n == 0 ? CLOSE_COMPLETE : null;
      case 'n': return n == 0 ? NO_DATA : null;
      case 's': return n == 0 ? PORTAL_SUSPENDED : null;
      case 'Z':
        if (n != 1) {
          return null;
        }
        return switch (in.getByte(start)) {
          case 'I' -> READY_IDLE;
          case 'T' -> READY_IN_BLOCK;
          case 'E' -> READY_FAILED;
          default -> null;
        };
      case 'C': return commandComplete(in, start, end);
      default: return null;
    }
  }

  private BackendMessage commandComplete(ByteBuf in, int start, int end) {
    int n = end - start - 1; // without the NUL
    if (n < 0 || in.getByte(end - 1) != 0) {
      return null;
    }
    ByteBuf last = lastTagBytes;
    if (last != null && n == last.capacity() && io.netty.buffer.ByteBufUtil.equals(in, start, last, 0, n)) {
      return lastTag; // the same bytes as a tag that had no NUL inside
    }
    if (in.indexOf(start, end - 1, (byte) 0) >= 0) {
      return null;
    }
    byte[] bytes = new byte[n];
    in.getBytes(start, bytes);
    lastTagBytes = io.netty.buffer.Unpooled.wrappedBuffer(bytes); // heap, nothing to release
    lastTag = new BackendMessage.CommandComplete(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    return lastTag;
  }

  /**
   * Parses one message body: the readable bytes of {@code body}, all of which must belong to
   * the message (trailing bytes are a violation). Consumes them on success.
   *
   * @param type the message type byte
   * @param body exactly the body bytes (after the length field)
   * @return the message
   * @throws ProtocolViolationException unknown type or malformed body
   */
  public static BackendMessage parse(byte type, ByteBuf body) {
    String name = nameOf(type);
    if (name == null) {
      throw new ProtocolViolationException("unknown backend message type " + describeByte(type));
    }
    if (type == 'D') {
      return dataRow(body, name);
    }
    BodyReader r = new BodyReader(body, name);
    BackendMessage msg = switch (type) {
      case 'R' -> authentication(r);
      case 'K' -> backendKeyData(r);
      case '2' -> new BackendMessage.BindComplete();
      case '3' -> new BackendMessage.CloseComplete();
      case 'C' -> new BackendMessage.CommandComplete(r.readCString("command tag"));
      case 'd' -> new BackendMessage.CopyData(r.readRest());
      case 'c' -> new BackendMessage.CopyDone();
      case 'G' -> copyResponse(r, type);
      case 'H' -> copyResponse(r, type);
      case 'W' -> copyResponse(r, type);
      case 'I' -> new BackendMessage.EmptyQueryResponse();
      case 'E' -> new BackendMessage.ErrorResponse(errorFields(r).toError());
      case 'N' -> new BackendMessage.NoticeResponse(errorFields(r).toNotice());
      case 'v' -> negotiateProtocolVersion(r);
      case 'n' -> new BackendMessage.NoData();
      case 'A' -> new BackendMessage.NotificationResponse(r.readInt("process id"),
          r.readCString("channel"), r.readCString("payload"));
      case 't' -> parameterDescription(r);
      case 'S' -> new BackendMessage.ParameterStatus(r.readCString("name"),
          r.readCString("value"));
      case '1' -> new BackendMessage.ParseComplete();
      case 's' -> new BackendMessage.PortalSuspended();
      case 'Z' -> readyForQuery(r);
      case 'T' -> rowDescription(r);
      default -> throw new AssertionError("nameOf and parse disagree on " + type); // incl. 'D'
    };
    r.finish();
    return msg;
  }

  /** Human name of a backend message type, or null if the byte is no backend message type. */
  static String nameOf(byte type) {
    return NAMES[type & 0xFF];
  }

  private static String computeName(byte type) {
    String n = switch (type) {
      case 'R' -> "Authentication";
      case 'K' -> "BackendKeyData";
      case '2' -> "BindComplete";
      case '3' -> "CloseComplete";
      case 'C' -> "CommandComplete";
      case 'd' -> "CopyData";
      case 'c' -> "CopyDone";
      case 'G' -> "CopyInResponse";
      case 'H' -> "CopyOutResponse";
      case 'W' -> "CopyBothResponse";
      case 'D' -> "DataRow";
      case 'I' -> "EmptyQueryResponse";
      case 'E' -> "ErrorResponse";
      case 'N' -> "NoticeResponse";
      case 'v' -> "NegotiateProtocolVersion";
      case 'n' -> "NoData";
      case 'A' -> "NotificationResponse";
      case 't' -> "ParameterDescription";
      case 'S' -> "ParameterStatus";
      case '1' -> "ParseComplete";
      case 's' -> "PortalSuspended";
      case 'Z' -> "ReadyForQuery";
      case 'T' -> "RowDescription";
      default -> null;
    };
    return n == null ? null : n + " ('" + (char) type + "')";
  }

  private static String describeByte(byte b) {
    int u = b & 0xFF;
    String hex = String.format("0x%02X", u);
    return u >= 0x20 && u < 0x7F ? hex + " ('" + (char) u + "')" : hex;
  }

  private static BackendMessage authentication(BodyReader r) {
    int code = r.readInt("authentication code");
    return switch (code) {
      case 0 -> new BackendMessage.AuthenticationOk();
      case 2 -> new BackendMessage.AuthenticationKerberosV5();
      case 3 -> new BackendMessage.AuthenticationCleartextPassword();
      case 5 -> {
        if (r.remaining() != 4) {
          throw r.violation("MD5 salt must be 4 bytes, got " + r.remaining());
        }
        yield new BackendMessage.AuthenticationMD5Password(r.readBytes(4, "MD5 salt"));
      }
      case 6 -> new BackendMessage.AuthenticationSCMCredential();
      case 7 -> new BackendMessage.AuthenticationGSS();
      case 8 -> new BackendMessage.AuthenticationGSSContinue(r.readRest());
      case 9 -> new BackendMessage.AuthenticationSSPI();
      case 10 -> saslMechanisms(r);
      case 11 -> new BackendMessage.AuthenticationSASLContinue(r.readRest());
      case 12 -> new BackendMessage.AuthenticationSASLFinal(r.readRest());
      default -> {
        // Layout unknown: the session rejects the method; the bytes are not interpreted.
        r.skip(r.remaining(), "unknown authentication data");
        yield new BackendMessage.AuthenticationUnknown(code);
      }
    };
  }

  private static BackendMessage saslMechanisms(BodyReader r) {
    List<String> mechanisms = new ArrayList<>();
    while (true) {
      if (r.remaining() == 0) {
        throw r.violation("SASL mechanism list is not terminated by an empty string");
      }
      String m = r.readCString("SASL mechanism");
      if (m.isEmpty()) {
        break;
      }
      mechanisms.add(m);
    }
    return new BackendMessage.AuthenticationSASL(List.copyOf(mechanisms));
  }

  private static BackendMessage backendKeyData(BodyReader r) {
    int pid = r.readInt("process id");
    int keyLength = r.remaining();
    if (keyLength < MIN_KEY || keyLength > MAX_KEY) {
      throw r.violation("secret key must be " + MIN_KEY + ".." + MAX_KEY + " bytes, got "
          + keyLength);
    }
    return new BackendMessage.BackendKeyData(pid, r.readBytes(keyLength, "secret key"));
  }

  private static BackendMessage copyResponse(BodyReader r, byte type) {
    int overall = r.readByte("overall format");
    if (overall != 0 && overall != 1) {
      throw r.violation("overall format must be 0 or 1, got " + overall);
    }
    int n = r.readCount16("column count");
    if (r.remaining() < 2L * n) {
      throw r.violation("column count " + n + " needs " + 2L * n + " bytes, "
          + r.remaining() + " left");
    }
    short[] formats = new short[n];
    for (int i = 0; i < n; i++) {
      formats[i] = r.readShort("column format");
      if (formats[i] != 0 && formats[i] != 1) {
        throw r.violation("column " + i + " format must be 0 or 1, got " + formats[i]);
      }
    }
    return switch (type) {
      case 'G' -> new BackendMessage.CopyInResponse(overall, formats);
      case 'H' -> new BackendMessage.CopyOutResponse(overall, formats);
      default -> new BackendMessage.CopyBothResponse(overall, formats);
    };
  }

  private static BackendMessage dataRow(ByteBuf body, String name) {
    BackendMessage.DataRow row = new BackendMessage.DataRow();
    row.fill(body, body.readerIndex(), body.writerIndex(), name);
    body.readerIndex(body.writerIndex());
    return row;
  }

  private static BackendMessage negotiateProtocolVersion(BodyReader r) {
    int minor = r.readInt("newest minor version");
    int n = r.readInt("option count");
    if (n < 0) {
      throw r.violation("negative option count " + n);
    }
    if (n > r.remaining()) { // every option takes at least its NUL
      throw r.violation("option count " + n + " exceeds the " + r.remaining() + " bytes left");
    }
    List<String> options = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      options.add(r.readCString("option name"));
    }
    return new BackendMessage.NegotiateProtocolVersion(minor, List.copyOf(options));
  }

  private static BackendMessage parameterDescription(BodyReader r) {
    // Unsigned: Parse accepts up to 65535 parameters, which a signed int16 cannot count.
    int n = r.readShort("parameter count") & 0xFFFF;
    if (r.remaining() < 4L * n) {
      throw r.violation("parameter count " + n + " needs " + 4L * n + " bytes, "
          + r.remaining() + " left");
    }
    int[] oids = new int[n];
    for (int i = 0; i < n; i++) {
      oids[i] = r.readInt("parameter type OID");
    }
    return new BackendMessage.ParameterDescription(oids);
  }

  private static BackendMessage readyForQuery(BodyReader r) {
    byte s = r.readByte("transaction status");
    TransactionStatus status = switch (s) {
      case 'I' -> TransactionStatus.IDLE;
      case 'T' -> TransactionStatus.IN_BLOCK;
      case 'E' -> TransactionStatus.FAILED;
      default -> throw r.violation("transaction status must be 'I', 'T' or 'E', got "
          + describeByte(s));
    };
    return new BackendMessage.ReadyForQuery(status);
  }

  private static BackendMessage rowDescription(BodyReader r) {
    int n = r.readCount16("field count");
    // A field is at least 19 bytes (empty name + 18 fixed): bound the list by the body.
    if (r.remaining() < 19L * n) {
      throw r.violation("field count " + n + " needs at least " + 19L * n + " bytes, "
          + r.remaining() + " left");
    }
    List<BackendMessage.FieldDescription> fields = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      fields.add(new BackendMessage.FieldDescription(r.readCString("field name"),
          r.readInt("table OID"), r.readShort("column number"), r.readInt("type OID"),
          r.readShort("type size"), r.readInt("type modifier"), r.readShort("format code")));
    }
    return new BackendMessage.RowDescription(List.copyOf(fields));
  }

  private static ErrorFields errorFields(BodyReader r) {
    ErrorFields f = new ErrorFields();
    while (true) {
      if (r.remaining() == 0) {
        throw r.violation("field list is not terminated by a zero byte");
      }
      byte code = r.readByte("field code");
      if (code == 0) {
        break;
      }
      f.put(code, r.readCString("field '" + (char) (code & 0xFF) + "'"));
    }
    f.check(r);
    return f;
  }

  /** Collects ErrorResponse/NoticeResponse fields by code; unknown codes are ignored. */
  private static final class ErrorFields {
    // Index order = record component order after the two severities.
    private static final String CODES = "CMDHPpqWstcdnFLR";
    private String localizedSeverity; // 'S'
    private String severity; // 'V', never localized
    private final String[] values = new String[CODES.length()];

    void put(byte code, String value) {
      if (code == 'S') {
        localizedSeverity = value;
      } else if (code == 'V') {
        severity = value;
      } else {
        int i = CODES.indexOf(code);
        if (i >= 0) {
          values[i] = value;
        }
      }
    }

    void check(BodyReader r) {
      if (severity == null && localizedSeverity == null) {
        throw r.violation("missing severity field ('S' or 'V')");
      }
      if (values[0] == null) {
        throw r.violation("missing SQLSTATE code field ('C')");
      }
      if (values[1] == null) {
        throw r.violation("missing message field ('M')");
      }
    }

    private String sev() {
      return severity != null ? severity : localizedSeverity;
    }

    private String locSev() {
      return localizedSeverity != null ? localizedSeverity : severity;
    }

    ErrorResponseMessage toError() {
      String[] v = values;
      return new ErrorResponseMessage(sev(), locSev(), v[0], v[1], v[2], v[3], v[4], v[5], v[6],
          v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15]);
    }

    NoticeResponseMessage toNotice() {
      String[] v = values;
      return new NoticeResponseMessage(sev(), locSev(), v[0], v[1], v[2], v[3], v[4], v[5],
          v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15]);
    }
  }
}
