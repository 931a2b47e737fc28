package org.pgsession.testkit;

/**
 * The roles every {@link PgCluster} is created with, one per authentication method, and the
 * database they may use. All non-superuser roles have CONNECT and CREATE on database
 * {@value #DATABASE} and USAGE and CREATE on its schema {@code public}.
 */
public final class TestRoles {

    /** Superuser authenticated with {@code scram-sha-256}. */
    public static final String SCRAM_USER = "postgres";
    /** Password of {@link #SCRAM_USER}. */
    public static final String SCRAM_PASSWORD = "postgres";
    /** Role authenticated with {@code md5} (its password is stored as an MD5 hash). */
    public static final String MD5_USER = "md5user";
    /** Password of {@link #MD5_USER}. */
    public static final String MD5_PASSWORD = "md5pass";
    /** Role authenticated with {@code password} (cleartext over the wire). */
    public static final String PASSWORD_USER = "pwuser";
    /** Password of {@link #PASSWORD_USER}. */
    public static final String PASSWORD_PASSWORD = "pwpass";
    /** Role authenticated with {@code trust} (no password). */
    public static final String TRUST_USER = "trustuser";
    /** Role that pg_hba.conf rejects ({@code reject}) over TCP. */
    public static final String REJECT_USER = "rejectme";
    /**
     * Role that needs both a client certificate with CN {@value #CERT_USER} (signed by the TLS
     * cluster's CA) and its SCRAM password: pg_hba.conf has
     * {@code hostssl ... scram-sha-256 clientcert=verify-full} for it on TLS clusters (and no rule
     * on plain clusters). See {@link PgCluster#clientCertificatePem()}.
     */
    public static final String CERT_USER = "certuser";
    /** Password of {@link #CERT_USER}. */
    public static final String CERT_PASSWORD = "certpass";
    /** The database all roles may connect to. */
    public static final String DATABASE = "postgres";

    private TestRoles() {
    }
}
