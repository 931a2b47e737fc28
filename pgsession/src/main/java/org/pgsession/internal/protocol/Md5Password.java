package org.pgsession.internal.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/** PostgreSQL's MD5 password response (AuthenticationMD5Password). */
public final class Md5Password {

  private Md5Password() {}

  /**
   * Computes {@code "md5" + hex(md5(hex(md5(password + user)) + salt))}.
   *
   * @param user the role name sent in the startup message
   * @param password the cleartext password
   * @param salt the 4-byte salt from AuthenticationMD5Password
   * @return the string to send in a PasswordMessage
   */
  public static String hash(String user, String password, byte[] salt) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(salt, "salt");
    if (salt.length != 4) {
      throw new IllegalArgumentException("salt must be 4 bytes, got " + salt.length);
    }
    HexFormat hex = HexFormat.of();
    MessageDigest md5 = md5();
    md5.update(password.getBytes(StandardCharsets.UTF_8));
    md5.update(user.getBytes(StandardCharsets.UTF_8));
    byte[] inner = hex.formatHex(md5.digest()).getBytes(StandardCharsets.US_ASCII);
    md5.update(inner);
    md5.update(salt);
    return "md5" + hex.formatHex(md5.digest());
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE platform must provide MD5.
      throw new IllegalStateException("MD5 is not available", e);
    }
  }
}
