package org.pgsession.internal.protocol;

import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import com.ongres.scram.common.StringPreparation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Client side of one SCRAM-SHA-256 exchange (RFC 5802 / RFC 7677), with or without channel
 * binding: {@code SCRAM-SHA-256-PLUS} binds the exchange to the TLS connection with
 * {@code tls-server-end-point} data (RFC 5929, {@link TlsServerEndPoint}); without it the GS2
 * header says {@code n} (no TLS, or binding disabled) or {@code y} (the client could bind but the
 * server did not offer -PLUS: a server that does support it then knows the list was stripped).
 *
 * <p>Server messages are parsed and validated here, before any expensive work: the iteration
 * count is checked against a cap so a hostile server cannot make the event loop run an
 * unbounded PBKDF2. The cryptography (SASLprep as PostgreSQL does it, PBKDF2, HMAC) comes from
 * {@code com.ongres.scram}; the server signature is compared in constant time here. Derived
 * keys are remembered process-wide ({@link ScramKeyCache}) once the server has proved them
 * right, so a reconnect with the same password, salt and iteration count skips PBKDF2.
 *
 * <p>Use once: {@link #clientFirstMessage}, then {@link #clientFinalMessage}, then
 * {@link #verifyServerFinal}. Not thread-safe.
 */
public final class ScramExchange {

  /** Default cap on the server-requested iteration count. */
  public static final int DEFAULT_MAX_ITERATIONS = 100_000;
  /** The SASL mechanism name. */
  public static final String MECHANISM = "SCRAM-SHA-256";
  /** The SASL mechanism name with channel binding. */
  public static final String MECHANISM_PLUS = "SCRAM-SHA-256-PLUS";

  private static final ScramMechanism SHA256 = ScramMechanism.SCRAM_SHA_256;
  private static final String GS2_NO_BINDING = "n,,";
  private static final String GS2_SERVER_NO_BINDING = "y,,";
  private static final String GS2_BINDING = "p=tls-server-end-point,,";
  private static final int NONCE_BYTES = 18;

  /** The GS2 header of client-first; its base64 (plus the binding data) is the c= attribute. */
  private final String gs2Header;
  private final String channelBinding;
  private final String mechanism;

  private final String clientNonce;
  private final String clientFirstBare;
  private final int maxIterations;
  private String password;
  private byte[] expectedServerSignature;
  /** Keys derived by this exchange, for the key cache once the server is verified. */
  private ScramKeyCache.Id pendingCacheId;
  private ScramKeyCache.Keys pendingKeys;
  private boolean done;

  /**
   * @param username SCRAM user name (PostgreSQL ignores it and uses the startup user)
   * @param password the password; SASLprep is applied as PostgreSQL does
   * @param maxIterations largest iteration count accepted from the server, at least 1
   */
  public ScramExchange(String username, String password, int maxIterations) {
    this(username, password, maxIterations, randomNonce(), GS2_NO_BINDING, null);
  }

  /**
   * An exchange bound to the TLS connection: mechanism {@link #MECHANISM_PLUS}.
   *
   * @param username SCRAM user name
   * @param password the password
   * @param maxIterations largest iteration count accepted from the server
   * @param tlsServerEndPoint the hash of the server's certificate ({@link TlsServerEndPoint})
   * @return the exchange
   */
  public static ScramExchange bound(String username, String password, int maxIterations, byte[] tlsServerEndPoint) {
    return new ScramExchange(username, password, maxIterations, randomNonce(), GS2_BINDING,
        Objects.requireNonNull(tlsServerEndPoint, "tlsServerEndPoint").clone());
  }

  /**
   * An exchange over TLS with a server that did not offer -PLUS: mechanism {@link #MECHANISM},
   * GS2 flag {@code y} (RFC 5802 section 6: detects a stripped mechanism list).
   *
   * @param username SCRAM user name
   * @param password the password
   * @param maxIterations largest iteration count accepted from the server
   * @return the exchange
   */
  public static ScramExchange bindingNotOffered(String username, String password, int maxIterations) {
    return new ScramExchange(username, password, maxIterations, randomNonce(), GS2_SERVER_NO_BINDING, null);
  }

  /** Fixes the client nonce, for tests. */
  ScramExchange(String username, String password, int maxIterations, String clientNonce) {
    this(username, password, maxIterations, clientNonce, GS2_NO_BINDING, null);
  }

  /** Fixes the client nonce and the binding, for tests. */
  ScramExchange(String username, String password, int maxIterations, String clientNonce, String gs2Header,
      byte[] bindingData) {
    Objects.requireNonNull(username, "username");
    this.password = Objects.requireNonNull(password, "password");
    if (maxIterations < 1) {
      throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
    }
    if (clientNonce.isEmpty() || !isPrintable(clientNonce)) {
      throw new IllegalArgumentException("client nonce must be printable ASCII without ','");
    }
    this.maxIterations = maxIterations;
    this.clientNonce = clientNonce;
    this.clientFirstBare = "n=" + saslName(username) + ",r=" + clientNonce;
    this.gs2Header = gs2Header;
    this.mechanism = bindingData == null ? MECHANISM : MECHANISM_PLUS;
    byte[] header = gs2Header.getBytes(StandardCharsets.US_ASCII);
    byte[] cbind = bindingData == null ? header : concat(header, bindingData);
    this.channelBinding = Base64.getEncoder().encodeToString(cbind);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** @return the SASL mechanism this exchange uses ({@link #MECHANISM} or {@link #MECHANISM_PLUS}) */
  public String mechanism() {
    return mechanism;
  }

  /**
   * @param mechanisms mechanisms from AuthenticationSASL
   * @return true if {@link #MECHANISM_PLUS} is among them
   */
  public static boolean offersPlus(List<String> mechanisms) {
    return mechanisms != null && mechanisms.contains(MECHANISM_PLUS);
  }

  /**
   * Whether the server offers the mechanism this class implements.
   *
   * @param mechanisms mechanisms from AuthenticationSASL
   * @return true if {@link #MECHANISM} is among them
   */
  public static boolean supported(List<String> mechanisms) {
    return mechanisms != null && mechanisms.contains(MECHANISM);
  }

  /**
   * The client-first message for SASLInitialResponse: {@code n,,n=user,r=nonce} (the GS2
   * header {@code y,,} or {@code p=tls-server-end-point,,} when binding).
   *
   * @return UTF-8 bytes
   */
  public byte[] clientFirstMessage() {
    return (gs2Header + clientFirstBare).getBytes(StandardCharsets.UTF_8);
  }

  /** The validated attributes of a server-first message. */
  private record ServerFirst(String text, String nonce, byte[] salt, int iterations) {}

  /**
   * Whether the keys for this server-first message are in the process-wide key cache, so
   * {@link #clientFinalMessage} is cheap (a few HMACs) and may run on the event loop.
   *
   * @param serverFirstMessage data of AuthenticationSASLContinue
   * @return false also when the message is malformed ({@link #clientFinalMessage} reports it)
   */
  public boolean keysCached(byte[] serverFirstMessage) {
    if (password == null) {
      return false;
    }
    try {
      ServerFirst sf = parseServerFirst(serverFirstMessage);
      return ScramKeyCache.get(ScramKeyCache.id(password, sf.salt(), sf.iterations())) != null;
    } catch (ScramFailure e) {
      return false;
    }
  }

  /** @return how many PBKDF2 key derivations this process has run (diagnostics and tests) */
  public static long keyDerivations() {
    return ScramKeyCache.derivations();
  }

  /**
   * Validates the server-first message, then derives the keys (PBKDF2, unless the key cache
   * has them) and builds the client-final message.
   *
   * @param serverFirstMessage data of AuthenticationSASLContinue
   * @return the client-final message for SASLResponse
   * @throws ScramFailure malformed message, nonce mismatch, or iteration count above the cap
   */
  public byte[] clientFinalMessage(byte[] serverFirstMessage) throws ScramFailure {
    if (password == null) {
      throw new IllegalStateException("clientFinalMessage was already called");
    }
    ServerFirst sf = parseServerFirst(serverFirstMessage);

    // Only now, with every input validated and bounded, do the expensive part.
    String clientFinalWithoutProof = "c=" + channelBinding + ",r=" + sf.nonce();
    String authMessage = clientFirstBare + "," + sf.text() + "," + clientFinalWithoutProof;
    ScramKeyCache.Id id = ScramKeyCache.id(password, sf.salt(), sf.iterations());
    ScramKeyCache.Keys keys = ScramKeyCache.get(id);
    if (keys == null) {
      keys = derive(sf);
      pendingCacheId = id; // cached only once the server's signature proves the keys right
    } else {
      password = null;
    }
    byte[] clientKey = keys.clientKey();
    byte[] serverKey = keys.serverKey();
    byte[] storedKey = ScramFunctions.storedKey(SHA256, clientKey);
    byte[] clientSignature = ScramFunctions.clientSignature(SHA256, storedKey, authMessage);
    byte[] proof = ScramFunctions.clientProof(clientKey, clientSignature);
    expectedServerSignature = ScramFunctions.serverSignature(SHA256, serverKey, authMessage);
    if (pendingCacheId != null) {
      pendingKeys = keys;
    } else {
      Arrays.fill(clientKey, (byte) 0);
      Arrays.fill(serverKey, (byte) 0);
    }
    String clientFinal = clientFinalWithoutProof + ",p=" + Base64.getEncoder()
        .encodeToString(proof);
    return clientFinal.getBytes(StandardCharsets.UTF_8);
  }

  /** PBKDF2 (SaltedPassword), then ClientKey and ServerKey; forgets the password. */
  private ScramKeyCache.Keys derive(ServerFirst sf) {
    char[] chars = password.toCharArray();
    byte[] saltedPassword;
    try {
      saltedPassword = ScramFunctions.saltedPassword(SHA256,
          StringPreparation.POSTGRESQL_PREPARATION, chars, sf.salt(), sf.iterations());
      ScramKeyCache.derived();
    } finally {
      Arrays.fill(chars, '\0');
      password = null;
    }
    byte[] clientKey = ScramFunctions.clientKey(SHA256, saltedPassword);
    byte[] serverKey = ScramFunctions.serverKey(SHA256, saltedPassword);
    Arrays.fill(saltedPassword, (byte) 0);
    return new ScramKeyCache.Keys(clientKey, serverKey);
  }

  private ServerFirst parseServerFirst(byte[] serverFirstMessage) throws ScramFailure {
    String serverFirst = new String(Objects.requireNonNull(serverFirstMessage),
        StandardCharsets.UTF_8);
    String[] attrs = serverFirst.split(",", -1);
    if (attrs.length < 3) {
      throw malformed("server-first message needs r=, s= and i= attributes");
    }
    if (attrs[0].startsWith("m=")) {
      throw malformed("server-first message has an unsupported mandatory extension");
    }
    String nonce = attribute(attrs[0], 'r', "nonce");
    String saltText = attribute(attrs[1], 's', "salt");
    String iterText = attribute(attrs[2], 'i', "iteration count");
    if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
      throw malformed("server nonce does not extend the client nonce");
    }
    if (!isPrintable(nonce)) {
      throw malformed("server nonce contains non-printable characters");
    }
    byte[] salt;
    try {
      salt = Base64.getDecoder().decode(saltText);
    } catch (IllegalArgumentException e) {
      throw malformed("salt is not valid base64");
    }
    if (salt.length == 0) {
      throw malformed("salt is empty");
    }
    return new ServerFirst(serverFirst, nonce, salt, iterations(iterText));
  }

  /**
   * Checks the server-final message: the server proves it knows the password.
   *
   * @param serverFinalMessage data of AuthenticationSASLFinal
   * @throws ScramFailure server error ({@code e=}), malformed message or wrong signature
   */
  public void verifyServerFinal(byte[] serverFinalMessage) throws ScramFailure {
    if (expectedServerSignature == null) {
      throw new IllegalStateException("verifyServerFinal before clientFinalMessage");
    }
    if (done) {
      throw new IllegalStateException("verifyServerFinal was already called");
    }
    done = true;
    String text = new String(Objects.requireNonNull(serverFinalMessage),
        StandardCharsets.UTF_8);
    String first = text.split(",", -1)[0];
    if (first.startsWith("e=")) {
      throw new ScramFailure(ScramFailure.Kind.SERVER_ERROR,
          "server reported SCRAM error: " + sanitize(first.substring(2)));
    }
    String verifierText = attribute(first, 'v', "verifier");
    byte[] verifier;
    try {
      verifier = Base64.getDecoder().decode(verifierText);
    } catch (IllegalArgumentException e) {
      throw malformed("server verifier is not valid base64");
    }
    // Constant-time comparison: timing must not reveal how many bytes matched.
    if (!MessageDigest.isEqual(verifier, expectedServerSignature)) {
      throw new ScramFailure(ScramFailure.Kind.SERVER_SIGNATURE_MISMATCH,
          "server signature does not match: the server does not know the password");
    }
    if (pendingKeys != null) {
      ScramKeyCache.put(pendingCacheId, pendingKeys.clientKey(), pendingKeys.serverKey());
      Arrays.fill(pendingKeys.clientKey(), (byte) 0);
      Arrays.fill(pendingKeys.serverKey(), (byte) 0);
      pendingKeys = null;
    }
  }

  private int iterations(String text) throws ScramFailure {
    // RFC 5802: posit-number = %x31-39 *DIGIT
    if (text.isEmpty() || text.charAt(0) < '1' || text.charAt(0) > '9') {
      throw malformed("iteration count is not a positive number");
    }
    for (int i = 1; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        throw malformed("iteration count is not a positive number");
      }
    }
    // More than 10 digits exceeds any int cap; avoid parsing overflow.
    long value = text.length() > 10 ? Long.MAX_VALUE : Long.parseLong(text);
    if (value > maxIterations) {
      throw new ScramFailure(ScramFailure.Kind.ITERATIONS_ABOVE_CAP, "server asks for "
          + (text.length() > 10 ? "more than 10^10" : text) + " iterations, the cap is "
          + maxIterations);
    }
    return (int) value;
  }

  private static String attribute(String attr, char name, String what) throws ScramFailure {
    if (attr.length() < 2 || attr.charAt(0) != name || attr.charAt(1) != '=') {
      throw malformed("expected " + what + " attribute '" + name + "='");
    }
    return attr.substring(2);
  }

  private static ScramFailure malformed(String message) {
    return new ScramFailure(ScramFailure.Kind.MALFORMED_SERVER_MESSAGE, message);
  }

  /** RFC 5802 printable: %x21-2B / %x2D-7E (no comma). */
  private static boolean isPrintable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7E || c == ',') {
        return false;
      }
    }
    return true;
  }

  /** Keeps server text printable and short in exception messages. */
  private static String sanitize(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 100; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7F ? c : '?');
    }
    return b.toString();
  }

  private static String saslName(String user) {
    return user.replace("=", "=3D").replace(",", "=2C");
  }

  private static String randomNonce() {
    byte[] bytes = new byte[NONCE_BYTES];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
