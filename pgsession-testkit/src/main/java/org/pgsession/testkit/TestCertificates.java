package org.pgsession.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Generates throw-away X.509 material for TLS tests: a CA, a server certificate for
 * {@code DNS:localhost} only and client certificates named after a role, both RSA-2048 / SHA-256, valid from a day ago for ten years.
 * Uses the JDK's providers for keys and signatures; BouncyCastle only builds and encodes.
 */
final class TestCertificates {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A certificate and its private key. */
    static final class Issued {
        final X509Certificate certificate;
        final PrivateKey privateKey;

        Issued(X509Certificate certificate, PrivateKey privateKey) {
            this.certificate = certificate;
            this.privateKey = privateKey;
        }
    }

    /** A CA and a server certificate it signed. */
    static final class ServerMaterial {
        final Issued ca;
        final Issued server;

        ServerMaterial(Issued ca, Issued server) {
            this.ca = ca;
            this.server = server;
        }
    }

    private TestCertificates() {
    }

    /** Generates a self-signed CA with the given common name. */
    static Issued newCa(String commonName) {
        try {
            KeyPair kp = rsaKeyPair();
            X500Name name = new X500Name("CN=" + commonName + ",O=pgsession testkit");
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(name, name, kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            return new Issued(sign(b, kp.getPrivate()), kp.getPrivate());
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate test CA", e);
        }
    }

    /** Generates a fresh CA and a server certificate with SAN {@code DNS:localhost} only. */
    static ServerMaterial newServerMaterial() {
        Issued ca = newCa("pgsession test CA");
        try {
            KeyPair kp = rsaKeyPair();
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X500Name issuer = X500Name.getInstance(ca.certificate.getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder b = builder(issuer, new X500Name("CN=localhost,O=pgsession testkit"),
                    kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(ca.certificate));
            return new ServerMaterial(ca, new Issued(sign(b, ca.privateKey), kp.getPrivate()));
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate test server certificate", e);
        }
    }

    /**
     * Issues a client certificate for {@code commonName} (the role name, which PostgreSQL's
     * {@code clientcert=verify-full} compares with the user), signed by {@code ca}.
     */
    static Issued newClientCertificate(Issued ca, String commonName) {
        try {
            KeyPair kp = rsaKeyPair();
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X500Name issuer = X500Name.getInstance(ca.certificate.getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder b = builder(issuer, new X500Name("CN=" + commonName + ",O=pgsession testkit"),
                    kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(ca.certificate));
            return new Issued(sign(b, ca.privateKey), kp.getPrivate());
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate test client certificate", e);
        }
    }

    /** PEM encoding of a private key as unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}). */
    static String pkcs8Pem(PrivateKey key) {
        String b64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n";
    }

    /** Writes {@code text} to a new file readable by its owner only (0600), as key files must be. */
    static void writePrivate(java.nio.file.Path file, String text) throws IOException {
        java.nio.file.Files.deleteIfExists(file);
        java.nio.file.Files.createFile(file,
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(Os.MODE_600));
        java.nio.file.Files.writeString(file, text, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        java.nio.file.Files.setPosixFilePermissions(file, Os.MODE_600);
    }

    /** A TLS client context that trusts exactly {@code ca}. */
    static SSLContext trusting(X509Certificate ca) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build SSLContext", e);
        }
    }

    /** PEM encoding of a certificate or a private key (PKCS#8 / traditional as BC chooses). */
    static String pem(Object certificateOrKey) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(certificateOrKey);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return sw.toString();
    }

    private static KeyPair rsaKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, RANDOM);
        return g.generateKeyPair();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3653))),
                subject, key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(key);
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }
}
