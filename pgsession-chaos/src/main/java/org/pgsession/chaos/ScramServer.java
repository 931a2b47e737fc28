package org.pgsession.chaos;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server side of SCRAM-SHA-256 (RFC 5802 / 7677) with JDK crypto only: builds the
 * server-first message, checks the client's proof and builds the server-final message. One
 * instance per exchange. Passwords are used as UTF-8 without SASLprep (use ASCII passwords).
 */
public final class ScramServer {
  private final String password;
  private final byte[] salt;
  private final int iterations;
  private final String serverNonce;
  private String clientFirstBare;
  private String serverFirst;
  private String nonce;

  /**
   * @param password the user's password
   * @param salt the salt to announce
   * @param iterations the iteration count to announce
   * @param serverNonce the server's part of the nonce (printable, no comma)
   */
  public ScramServer(String password, byte[] salt, int iterations, String serverNonce) {
    this.password = password;
    this.salt = salt.clone();
    this.iterations = iterations;
    this.serverNonce = serverNonce;
  }

  /**
   * @param clientFirst the client-first message with its GS2 header (the SASLInitialResponse data)
   * @return the server-first message
   */
  public String serverFirst(String clientFirst) {
    int bare = clientFirst.indexOf("n=");
    if (bare < 0) {
      throw new IllegalArgumentException("not a client-first message: " + clientFirst);
    }
    clientFirstBare = clientFirst.substring(bare);
    int r = clientFirstBare.indexOf("r=");
    nonce = clientFirstBare.substring(r + 2).split(",", 2)[0] + serverNonce;
    serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + iterations;
    return serverFirst;
  }

  /**
   * @param clientFinal the client-final message (the SASLResponse data)
   * @return the server-final message ({@code v=...}) if the proof and nonce are right, else empty
   */
  public Optional<String> serverFinal(String clientFinal) {
    int p = clientFinal.lastIndexOf(",p=");
    if (serverFirst == null || p < 0 || !clientFinal.contains("r=" + nonce)) {
      return Optional.empty();
    }
    String withoutProof = clientFinal.substring(0, p);
    byte[] proof = Base64.getDecoder().decode(clientFinal.substring(p + 3));
    String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
    try {
      byte[] salted = saltedPassword();
      byte[] clientKey = hmac(salted, "Client Key");
      byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
      byte[] signature = hmac(storedKey, authMessage);
      if (proof.length != signature.length) {
        return Optional.empty();
      }
      byte[] recovered = new byte[proof.length];
      for (int i = 0; i < proof.length; i++) {
        recovered[i] = (byte) (proof[i] ^ signature[i]);
      }
      if (!MessageDigest.isEqual(MessageDigest.getInstance("SHA-256").digest(recovered), storedKey)) {
        return Optional.empty();
      }
      byte[] serverSignature = hmac(hmac(salted, "Server Key"), authMessage);
      return Optional.of("v=" + Base64.getEncoder().encodeToString(serverSignature));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SCRAM-SHA-256 needs HmacSHA256 and PBKDF2WithHmacSHA256", e);
    }
  }

  /**
   * The server-final message a server would send if it saw {@code clientFinalWithoutProof} (a
   * relay in the middle sees other channel-binding data than the client sent): for downgrade
   * tests. Call after {@link #serverFirst}.
   *
   * @param clientFinalWithoutProof {@code c=...,r=...} as that server sees it
   * @return {@code v=...} signed over that view
   */
  public String serverFinalAsSeen(String clientFinalWithoutProof) {
    String authMessage = clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof;
    try {
      return "v=" + Base64.getEncoder().encodeToString(hmac(hmac(saltedPassword(), "Server Key"), authMessage));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SCRAM-SHA-256 needs HmacSHA256 and PBKDF2WithHmacSHA256", e);
    }
  }

  private byte[] saltedPassword() throws GeneralSecurityException {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
    return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
  }

  private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }
}
