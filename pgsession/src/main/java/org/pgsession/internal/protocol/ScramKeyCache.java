package org.pgsession.internal.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Process-wide memory of SCRAM-SHA-256 ClientKey/ServerKey pairs, so that a reconnect with the
 * same password, salt and iteration count skips PBKDF2 (the salt and count are the server's
 * per-role values, so they repeat until the role's password changes).
 *
 * <p>Only kept in memory, never written anywhere. Entries are looked up by a SHA-256 digest of
 * password, salt and iteration count (the password itself is not kept), and added only after
 * the server proved it knows the same keys (its signature matched), so a hostile server cannot
 * fill the cache. Bounded LRU; thread-safe (derivations run on a blocking pool).
 */
final class ScramKeyCache {
  private static final int MAX_ENTRIES = 64;
  private static final AtomicLong DERIVATIONS = new AtomicLong();
  private static final Map<Id, Keys> ENTRIES = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Id, Keys> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  private ScramKeyCache() {}

  /** Derived keys of one (password, salt, iterations). */
  record Keys(byte[] clientKey, byte[] serverKey) {}

  /** Digest of password, salt and iteration count; never the password itself. */
  static final class Id {
    private final byte[] digest;
    private final int hash;

    private Id(byte[] digest) {
      this.digest = digest;
      this.hash = Arrays.hashCode(digest);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Id other && MessageDigest.isEqual(other.digest, digest);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** @return the cache key for these inputs */
  static Id id(String password, byte[] salt, int iterations) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] pw = password.getBytes(StandardCharsets.UTF_8);
      md.update(ByteBuffer.allocate(8).putInt(pw.length).putInt(iterations).array());
      md.update(pw);
      Arrays.fill(pw, (byte) 0);
      md.update(salt);
      return new Id(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }

  /** @return copies of the cached keys, or null */
  static Keys get(Id id) {
    Keys k;
    synchronized (ENTRIES) {
      k = ENTRIES.get(id);
    }
    return k == null ? null : new Keys(k.clientKey().clone(), k.serverKey().clone());
  }

  /** Remembers keys the server just confirmed. */
  static void put(Id id, byte[] clientKey, byte[] serverKey) {
    Keys k = new Keys(clientKey.clone(), serverKey.clone());
    synchronized (ENTRIES) {
      ENTRIES.put(id, k);
    }
  }

  /** Counts one PBKDF2 run. */
  static void derived() {
    DERIVATIONS.incrementAndGet();
  }

  /** @return how many PBKDF2 derivations this process ran (for tests and diagnostics) */
  static long derivations() {
    return DERIVATIONS.get();
  }
}
