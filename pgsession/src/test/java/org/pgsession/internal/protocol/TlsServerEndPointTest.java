package org.pgsession.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** RFC 5929 hash choice, and the -PLUS messages of a bound exchange. */
class TlsServerEndPointTest {

  @Test
  void md5AndSha1BecomeSha256OthersKeepTheirHash() {
    assertThat(TlsServerEndPoint.digestFor("MD5withRSA")).isEqualTo("SHA-256");
    assertThat(TlsServerEndPoint.digestFor("SHA1withRSA")).isEqualTo("SHA-256");
    assertThat(TlsServerEndPoint.digestFor("SHA256withRSA")).isEqualTo("SHA-256");
    assertThat(TlsServerEndPoint.digestFor("SHA384withECDSA")).isEqualTo("SHA-384");
    assertThat(TlsServerEndPoint.digestFor("SHA512withRSA")).isEqualTo("SHA-512");
    assertThat(TlsServerEndPoint.digestFor("Ed25519")).isNull();
    assertThat(TlsServerEndPoint.digestFor("RSASSA-PSS")).isNull();
  }

  @Test
  void boundExchangeSendsTheBindingInClientFirstAndFinal() throws Exception {
    byte[] hash = new byte[32];
    hash[0] = 7;
    ScramExchange scram = new ScramExchange("u", "pw", 4096, "abc", "p=tls-server-end-point,,", hash);
    assertThat(scram.mechanism()).isEqualTo(ScramExchange.MECHANISM_PLUS);
    assertThat(new String(scram.clientFirstMessage(), StandardCharsets.UTF_8))
        .isEqualTo("p=tls-server-end-point,,n=u,r=abc");
    String salt = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4});
    String fin = new String(scram.clientFinalMessage(("r=abcdef,s=" + salt + ",i=4096")
        .getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    String c = fin.substring(2, fin.indexOf(",r="));
    byte[] cbind = Base64.getDecoder().decode(c);
    byte[] header = "p=tls-server-end-point,,".getBytes(StandardCharsets.US_ASCII);
    assertThat(cbind).hasSize(header.length + 32).startsWith(header);
    assertThat(cbind[header.length]).isEqualTo((byte) 7);
  }
}
