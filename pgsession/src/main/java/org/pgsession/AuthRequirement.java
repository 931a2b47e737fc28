package org.pgsession;

/** Which authentication methods a session accepts from the server. */
public enum AuthRequirement {
  /** Only SCRAM-SHA-256; cleartext, MD5 and no-challenge logins are refused (the default). */
  REQUIRE_SCRAM,
  /** Any method the driver supports: SCRAM-SHA-256, MD5, cleartext, trust. */
  ALLOW_ANY
}
