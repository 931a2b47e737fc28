package org.pgsession.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * Static writers of PostgreSQL v3 frontend messages into a caller's {@link ByteBuf}.
 *
 * <p>Every writer first computes the message length in {@code long} arithmetic and validates
 * its arguments; only then does it write. So an invalid or oversized message leaves the
 * buffer's {@code writerIndex} unchanged. Strings are written as UTF-8. A string that must be
 * NUL-terminated on the wire may not contain U+0000 (the server would cut it short and read the
 * rest as further fields). Exception messages name the offending argument, never its value,
 * so passwords and parameter values never end up in logs.
 */
public final class FrontendMessages {

  /** Largest value of a message's length field the writers produce: PostgreSQL's 1 GiB. */
  public static final int MAX_MESSAGE_LENGTH = 1 << 30;

  /** Most parameters, formats or OIDs a Parse/Bind can carry (the counts are uint16). */
  private static final int MAX_COUNT = 0xFFFF;
  private static final int SSL_REQUEST_CODE = 80877103;
  private static final int CANCEL_REQUEST_CODE = 80877102;

  private FrontendMessages() {}

  /**
   * StartupMessage (no type byte).
   *
   * @param out destination
   * @param protocolMajor major protocol version, e.g. 3
   * @param protocolMinor minor protocol version, e.g. 0
   * @param parameters run-time parameters (user, database, ...), written in iteration order;
   *     names must be non-empty
   */
  public static void startupMessage(ByteBuf out, int protocolMajor, int protocolMinor,
      Map<String, String> parameters) {
    checkUint16(protocolMajor, "protocolMajor");
    checkUint16(protocolMinor, "protocolMinor");
    long len = 4 + 4 + 1;
    for (Map.Entry<String, String> e : parameters.entrySet()) {
      String key = Objects.requireNonNull(e.getKey(), "parameter name");
      if (key.isEmpty()) {
        // An empty name reads as the list terminator on the server.
        throw new IllegalArgumentException("startup parameter name must not be empty");
      }
      len += cstrLen(key, "startup parameter name");
      len += cstrLen(Objects.requireNonNull(e.getValue(), "parameter value"),
          "value of startup parameter '" + key + "'");
    }
    int start = beginUntyped(out, len, "StartupMessage");
    out.writeInt(protocolMajor << 16 | protocolMinor);
    for (Map.Entry<String, String> e : parameters.entrySet()) {
      writeCStr(out, e.getKey());
      writeCStr(out, e.getValue());
    }
    out.writeByte(0);
    end(out, start, len, "StartupMessage");
  }

  /**
   * SSLRequest: asks the server whether it will start TLS.
   *
   * @param out destination
   */
  public static void sslRequest(ByteBuf out) {
    out.ensureWritable(8);
    out.writeInt(8);
    out.writeInt(SSL_REQUEST_CODE);
  }

  /**
   * CancelRequest, sent on its own connection.
   *
   * @param out destination
   * @param processId backend process id from BackendKeyData
   * @param secretKey secret key from BackendKeyData, 4..256 bytes
   */
  public static void cancelRequest(ByteBuf out, int processId, byte[] secretKey) {
    Objects.requireNonNull(secretKey, "secretKey");
    if (secretKey.length < 4 || secretKey.length > 256) {
      throw new IllegalArgumentException("secretKey must be 4..256 bytes, got "
          + secretKey.length);
    }
    long len = 12 + secretKey.length;
    int start = beginUntyped(out, len, "CancelRequest");
    out.writeInt(CANCEL_REQUEST_CODE);
    out.writeInt(processId);
    out.writeBytes(secretKey);
    end(out, start, len, "CancelRequest");
  }

  /**
   * PasswordMessage carrying a cleartext password or an MD5 hash.
   *
   * @param out destination
   * @param password cleartext password, or {@code md5...} from {@link Md5Password#hash}
   */
  public static void passwordMessage(ByteBuf out, String password) {
    long len = 4 + cstrLen(password, "password");
    int start = begin(out, (byte) 'p', len, "PasswordMessage");
    writeCStr(out, password);
    end(out, start, len + 1, "PasswordMessage");
  }

  /**
   * SASLInitialResponse.
   *
   * @param out destination
   * @param mechanism chosen mechanism, e.g. {@code SCRAM-SHA-256}
   * @param data initial client response, or null for none (written as length -1)
   */
  public static void saslInitialResponse(ByteBuf out, String mechanism, byte[] data) {
    long len = 4 + cstrLen(mechanism, "mechanism") + 4 + (data == null ? 0 : data.length);
    int start = begin(out, (byte) 'p', len, "SASLInitialResponse");
    writeCStr(out, mechanism);
    if (data == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(data.length);
      out.writeBytes(data);
    }
    end(out, start, len + 1, "SASLInitialResponse");
  }

  /**
   * SASLResponse.
   *
   * @param out destination
   * @param data mechanism-specific data
   */
  public static void saslResponse(ByteBuf out, byte[] data) {
    long len = 4 + (long) Objects.requireNonNull(data, "data").length;
    int start = begin(out, (byte) 'p', len, "SASLResponse");
    out.writeBytes(data);
    end(out, start, len + 1, "SASLResponse");
  }

  /**
   * Query (simple query protocol).
   *
   * @param out destination
   * @param sql one or more SQL statements
   */
  public static void query(ByteBuf out, String sql) {
    long len = 4 + cstrLen(sql, "sql");
    int start = begin(out, (byte) 'Q', len, "Query");
    writeCStr(out, sql);
    end(out, start, len + 1, "Query");
  }

  /**
   * Parse.
   *
   * @param out destination
   * @param statementName prepared statement name, "" for the unnamed statement
   * @param sql the statement text
   * @param parameterOids parameter type OIDs (0 = let the server infer); null means none
   */
  public static void parse(ByteBuf out, String statementName, String sql, int[] parameterOids) {
    int n = parameterOids == null ? 0 : parameterOids.length;
    checkCount(n, "parameterOids");
    long len = 4 + cstrLen(statementName, "statementName") + cstrLen(sql, "sql") + 2 + 4L * n;
    int start = begin(out, (byte) 'P', len, "Parse");
    writeCStr(out, statementName);
    writeCStr(out, sql);
    out.writeShort(n);
    for (int i = 0; i < n; i++) {
      out.writeInt(parameterOids[i]);
    }
    end(out, start, len + 1, "Parse");
  }

  /**
   * Bind.
   *
   * @param out destination
   * @param portalName portal name, "" for the unnamed portal
   * @param statementName prepared statement name, "" for the unnamed statement
   * @param parameterFormats 0 (text) / 1 (binary) per parameter; 0 entries = all text, 1 entry =
   *     applies to all; null means none
   * @param parameterValues encoded values, a null element is SQL NULL; null means none
   * @param resultFormats result column formats, same rules as {@code parameterFormats}
   */
  public static void bind(ByteBuf out, String portalName, String statementName,
      short[] parameterFormats, byte[][] parameterValues, short[] resultFormats) {
    byte[][] values = parameterValues == null ? new byte[0][] : parameterValues;
    bindValues(out, portalName, statementName, parameterFormats, new BindValues() {
      @Override
      public int count() {
        return values.length;
      }

      @Override
      public int length(int i) {
        return values[i] == null ? -1 : values[i].length;
      }

      @Override
      public void write(ByteBuf dest, int i) {
        dest.writeBytes(values[i]);
      }
    }, resultFormats);
  }

  /**
   * Parameter values that write themselves into a Bind, so built-in values need no
   * intermediate array. Lengths are known before anything is written.
   */
  public interface BindValues {
    /** @return the number of values */
    int count();

    /** @param i index @return the value's byte length, -1 for SQL NULL */
    int length(int i);

    /** Writes exactly {@code length(i)} bytes of a non-null value. @param out dest @param i index */
    void write(ByteBuf out, int i);
  }

  /**
   * Bind whose values write themselves.
   *
   * @param out destination
   * @param portalName portal name, "" for the unnamed portal
   * @param statementName prepared statement name, "" for the unnamed statement
   * @param parameterFormats as for {@link #bind(ByteBuf, String, String, short[], byte[][], short[])}
   * @param values the values
   * @param resultFormats result column formats
   */
  public static void bindValues(ByteBuf out, String portalName, String statementName,
      short[] parameterFormats, BindValues values, short[] resultFormats) {
    long names = cstrLen(portalName, "portalName") + cstrLen(statementName, "statementName");
    long len = bindLength(names, parameterFormats, values, resultFormats);
    int start = begin(out, (byte) 'B', len, "Bind");
    writeCStr(out, portalName);
    writeCStr(out, statementName);
    bindRest(out, start, len, parameterFormats, values, resultFormats);
  }

  /**
   * Bind to the unnamed portal of a statement whose name is already encoded (the statement
   * cache's entries: no UTF-8 encoding of the name per execution).
   *
   * @param out destination
   * @param statementCStr the statement name as UTF-8 with its terminating NUL (see {@link #cstr})
   * @param parameterFormats as for {@link #bind(ByteBuf, String, String, short[], byte[][], short[])}
   * @param values the values
   * @param resultFormats result column formats
   */
  public static void bindUnnamedPortal(ByteBuf out, byte[] statementCStr, short[] parameterFormats, BindValues values,
      short[] resultFormats) {
    long len = bindLength(1L + statementCStr.length, parameterFormats, values, resultFormats);
    int start = begin(out, (byte) 'B', len, "Bind");
    out.writeByte(0);
    out.writeBytes(statementCStr);
    bindRest(out, start, len, parameterFormats, values, resultFormats);
  }

  /**
   * @param s a name
   * @return its UTF-8 bytes with the terminating NUL, as {@link #bindUnnamedPortal} takes it
   * @throws IllegalArgumentException if it contains NUL
   */
  public static byte[] cstr(String s) {
    cstrLen(s, "name");
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    return java.util.Arrays.copyOf(utf8, utf8.length + 1);
  }

  /** The Bind length field's value (names given as their C-string length); validates the counts. */
  private static long bindLength(long names, short[] parameterFormats, BindValues values, short[] resultFormats) {
    int nf = parameterFormats == null ? 0 : parameterFormats.length;
    int nv = values.count();
    int nr = resultFormats == null ? 0 : resultFormats.length;
    checkCount(nf, "parameterFormats");
    checkCount(nv, "parameterValues");
    checkCount(nr, "resultFormats");
    if (nf > 1 && nf != nv) {
      throw new IllegalArgumentException("parameterFormats must have 0, 1 or "
          + nv + " entries, has " + nf);
    }
    long len = 4 + names + 2 + 2L * nf + 2 + 4L * nv + 2 + 2L * nr;
    for (int i = 0; i < nv; i++) {
      len += Math.max(0, values.length(i));
    }
    return len;
  }

  /** Everything of a Bind after the two names. */
  private static void bindRest(ByteBuf out, int start, long len, short[] parameterFormats, BindValues values,
      short[] resultFormats) {
    int nf = parameterFormats == null ? 0 : parameterFormats.length;
    int nv = values.count();
    int nr = resultFormats == null ? 0 : resultFormats.length;
    out.writeShort(nf);
    for (int i = 0; i < nf; i++) {
      out.writeShort(parameterFormats[i]);
    }
    out.writeShort(nv);
    for (int i = 0; i < nv; i++) {
      int length = values.length(i);
      out.writeInt(length);
      if (length >= 0) {
        values.write(out, i);
      }
    }
    out.writeShort(nr);
    for (int i = 0; i < nr; i++) {
      out.writeShort(resultFormats[i]);
    }
    end(out, start, len + 1, "Bind");
  }

  /**
   * Describe.
   *
   * @param out destination
   * @param kind {@code 'S'} (prepared statement) or {@code 'P'} (portal)
   * @param name the statement or portal name, "" for the unnamed one
   */
  public static void describe(ByteBuf out, byte kind, String name) {
    kindAndName(out, (byte) 'D', kind, name, "Describe");
  }

  /**
   * Close (a prepared statement or portal).
   *
   * @param out destination
   * @param kind {@code 'S'} (prepared statement) or {@code 'P'} (portal)
   * @param name the statement or portal name, "" for the unnamed one
   */
  public static void close(ByteBuf out, byte kind, String name) {
    kindAndName(out, (byte) 'C', kind, name, "Close");
  }

  /**
   * Execute.
   *
   * @param out destination
   * @param portalName portal name, "" for the unnamed portal
   * @param maxRows most rows to return, 0 for no limit
   */
  public static void execute(ByteBuf out, String portalName, int maxRows) {
    if (maxRows < 0) {
      throw new IllegalArgumentException("maxRows must be >= 0, got " + maxRows);
    }
    long len = 4 + cstrLen(portalName, "portalName") + 4;
    int start = begin(out, (byte) 'E', len, "Execute");
    writeCStr(out, portalName);
    out.writeInt(maxRows);
    end(out, start, len + 1, "Execute");
  }

  /**
   * Sync.
   *
   * @param out destination
   */
  public static void sync(ByteBuf out) {
    empty(out, (byte) 'S');
  }

  /**
   * Flush.
   *
   * @param out destination
   */
  public static void flush(ByteBuf out) {
    empty(out, (byte) 'H');
  }

  /**
   * Terminate.
   *
   * @param out destination
   */
  public static void terminate(ByteBuf out) {
    empty(out, (byte) 'X');
  }

  /**
   * CopyDone.
   *
   * @param out destination
   */
  public static void copyDone(ByteBuf out) {
    empty(out, (byte) 'c');
  }

  /**
   * CopyData with a slice of an array.
   *
   * @param out destination
   * @param data source array
   * @param offset first byte to send
   * @param length number of bytes to send
   */
  public static void copyData(ByteBuf out, byte[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(data, "data").length);
    long len = 4L + length;
    int start = begin(out, (byte) 'd', len, "CopyData");
    out.writeBytes(data, offset, length);
    end(out, start, len + 1, "CopyData");
  }

  /**
   * CopyData with a whole array.
   *
   * @param out destination
   * @param data bytes to send
   */
  public static void copyData(ByteBuf out, byte[] data) {
    copyData(out, data, 0, Objects.requireNonNull(data, "data").length);
  }

  /**
   * CopyFail: aborts COPY IN.
   *
   * @param out destination
   * @param reason error message the server reports
   */
  public static void copyFail(ByteBuf out, String reason) {
    long len = 4 + cstrLen(reason, "reason");
    int start = begin(out, (byte) 'f', len, "CopyFail");
    writeCStr(out, reason);
    end(out, start, len + 1, "CopyFail");
  }

  private static void kindAndName(ByteBuf out, byte type, byte kind, String name, String msg) {
    if (kind != 'S' && kind != 'P') {
      throw new IllegalArgumentException(msg + " kind must be 'S' or 'P', got " + kind);
    }
    long len = 4 + 1 + cstrLen(name, "name");
    int start = begin(out, type, len, msg);
    out.writeByte(kind);
    writeCStr(out, name);
    end(out, start, len + 1, msg);
  }

  private static void empty(ByteBuf out, byte type) {
    out.ensureWritable(5);
    out.writeByte(type);
    out.writeInt(4);
  }

  /** UTF-8 length plus the NUL, rejecting strings that contain NUL. No allocation. */
  private static long cstrLen(String s, String what) {
    Objects.requireNonNull(s, what);
    if (s.isEmpty()) {
      return 1; // the unnamed statement or portal, on every execution
    }
    if (s.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(what + " contains U+0000, which the protocol cannot"
          + " carry");
    }
    return ByteBufUtil.utf8Bytes(s) + 1L;
  }

  private static void writeCStr(ByteBuf out, String s) {
    if (!s.isEmpty()) {
      out.writeCharSequence(s, StandardCharsets.UTF_8);
    }
    out.writeByte(0);
  }

  private static void checkCount(int n, String what) {
    if (n > MAX_COUNT) {
      throw new IllegalArgumentException(what + " has " + n + " entries, at most " + MAX_COUNT
          + " are allowed");
    }
  }

  private static void checkUint16(int v, String what) {
    if (v < 0 || v > MAX_COUNT) {
      throw new IllegalArgumentException(what + " must be 0..65535, got " + v);
    }
  }

  private static void checkLength(long len, String msg) {
    if (len > MAX_MESSAGE_LENGTH) {
      throw new MessageTooLargeException(msg + " would be " + len + " bytes long, the maximum"
          + " is " + MAX_MESSAGE_LENGTH);
    }
  }

  /** Validates the length, then writes type and length; returns the message's start index. */
  private static int begin(ByteBuf out, byte type, long len, String msg) {
    checkLength(len, msg);
    int start = out.writerIndex();
    out.ensureWritable(1 + (int) len);
    out.writeByte(type);
    out.writeInt((int) len);
    return start;
  }

  private static int beginUntyped(ByteBuf out, long len, String msg) {
    checkLength(len, msg);
    int start = out.writerIndex();
    out.ensureWritable((int) len);
    out.writeInt((int) len);
    return start;
  }

  /**
   * Checks that what was written matches the length written up front. A mismatch is a bug in
   * this class; the partial message is dropped rather than sent with a lying length.
   */
  private static void end(ByteBuf out, int start, long expected, String msg) {
    int written = out.writerIndex() - start;
    if (written != expected) {
      out.writerIndex(start);
      throw new IllegalStateException(msg + ": wrote " + written + " bytes, computed "
          + expected);
    }
  }
}
