package org.pgsession.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A minimal frontend for testing the testkit itself: startup, cleartext/md5/trust
 * authentication and simple queries. Deliberately tiny; not the driver.
 */
final class WireProbe implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    private WireProbe(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(socket.getOutputStream());
    }

    static WireProbe connect(PgCluster pg) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(pg.host(), pg.port()), 5000);
        s.setSoTimeout(20_000);
        return new WireProbe(s);
    }

    /** A backend message: type byte and body. */
    static final class Msg {
        final char type;
        final byte[] body;

        Msg(char type, byte[] body) {
            this.type = type;
            this.body = body;
        }

        int int32(int off) {
            return ((body[off] & 0xff) << 24) | ((body[off + 1] & 0xff) << 16) | ((body[off + 2] & 0xff) << 8)
                    | (body[off + 3] & 0xff);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8).replace('\0', ' ');
        }
    }

    /** Sends a StartupMessage and returns the first response. */
    Msg startup(String user, String database) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(196608);
        for (String s : new String[] {"user", user, "database", database}) {
            d.write(s.getBytes(StandardCharsets.UTF_8));
            d.write(0);
        }
        d.write(0);
        out.writeInt(b.size() + 4);
        b.writeTo(out);
        out.flush();
        return read();
    }

    /** Answers a cleartext or md5 password request; returns the next message. */
    Msg password(Msg request, String user, String password) throws IOException {
        String answer;
        int code = request.int32(0);
        if (code == 3) {
            answer = password;
        } else if (code == 5) {
            byte[] salt = {request.body[4], request.body[5], request.body[6], request.body[7]};
            String inner = md5Hex((password + user).getBytes(StandardCharsets.UTF_8));
            byte[] innerBytes = inner.getBytes(StandardCharsets.US_ASCII);
            byte[] salted = new byte[innerBytes.length + 4];
            System.arraycopy(innerBytes, 0, salted, 0, innerBytes.length);
            System.arraycopy(salt, 0, salted, innerBytes.length, 4);
            answer = "md5" + md5Hex(salted);
        } else {
            throw new IllegalStateException("unsupported auth request " + code);
        }
        byte[] p = answer.getBytes(StandardCharsets.UTF_8);
        out.writeByte('p');
        out.writeInt(4 + p.length + 1);
        out.write(p);
        out.write(0);
        out.flush();
        return read();
    }

    /** Reads messages until ReadyForQuery; returns the error text or null. */
    String awaitReady() throws IOException {
        String error = null;
        while (true) {
            Msg m = read();
            if (m.type == 'E') {
                error = m.text();
            } else if (m.type == 'Z') {
                return error;
            }
        }
    }

    /** Runs a simple query; returns the error text or null. */
    String query(String sql) throws IOException {
        byte[] q = sql.getBytes(StandardCharsets.UTF_8);
        out.writeByte('Q');
        out.writeInt(4 + q.length + 1);
        out.write(q);
        out.write(0);
        out.flush();
        return awaitReady();
    }

    Msg read() throws IOException {
        char type = (char) in.readUnsignedByte();
        int len = in.readInt();
        byte[] body = new byte[len - 4];
        in.readFully(body);
        return new Msg(type, body);
    }

    @Override
    public void close() throws IOException {
        try {
            out.writeByte('X');
            out.writeInt(4);
            out.flush();
        } catch (IOException ignored) {
            // already closed by the server
        }
        socket.close();
    }

    private static String md5Hex(byte[] data) {
        try {
            StringBuilder sb = new StringBuilder();
            for (byte x : MessageDigest.getInstance("MD5").digest(data)) {
                sb.append(String.format("%02x", x));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
