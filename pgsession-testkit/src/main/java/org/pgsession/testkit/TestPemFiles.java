package org.pgsession.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fresh CA and a client certificate it signed, written as PEM files: for tests of code that
 * reads certificate files ({@code sslrootcert}, {@code sslcert}, {@code sslkey}) without a server.
 * The CA signed nothing any test cluster uses, so it also serves as a "wrong CA".
 *
 * @param caCertificate the CA certificate ({@code BEGIN CERTIFICATE})
 * @param clientCertificate the client certificate ({@code BEGIN CERTIFICATE})
 * @param clientKey its unencrypted PKCS#8 key ({@code BEGIN PRIVATE KEY}), mode 0600
 */
public record TestPemFiles(Path caCertificate, Path clientCertificate, Path clientKey) {

    /**
     * Generates and writes {@code ca.crt}, {@code client.crt} and {@code client.key} into
     * {@code directory}.
     *
     * @param directory an existing directory
     * @param clientCommonName the client certificate's CN (a role name)
     * @return the files
     * @throws UncheckedIOException if they cannot be written
     */
    public static TestPemFiles write(Path directory, String clientCommonName) {
        TestCertificates.Issued ca = TestCertificates.newCa("pgsession test files CA");
        TestCertificates.Issued client = TestCertificates.newClientCertificate(ca, clientCommonName);
        try {
            Path caFile = directory.resolve("ca.crt");
            Path certFile = directory.resolve("client.crt");
            Path keyFile = directory.resolve("client.key");
            Files.writeString(caFile, TestCertificates.pem(ca.certificate));
            Files.writeString(certFile, TestCertificates.pem(client.certificate));
            TestCertificates.writePrivate(keyFile, TestCertificates.pkcs8Pem(client.privateKey));
            return new TestPemFiles(caFile, certFile, keyFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
