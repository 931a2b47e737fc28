package org.pgsession.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScramExchangeTest {

  // RFC 7677 section 3 test vector.
  private static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
  private static final String SERVER_FIRST =
      "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
  private static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj"
      + ")hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
  private static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

  private static ScramExchange rfcExchange(int maxIterations) {
    return new ScramExchange("user", "pencil", maxIterations, CLIENT_NONCE);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static ScramFailure failure(ScramFailure.Kind kind, ThrowingRunnable r) {
    ScramFailure f = catchThrowableOfType(ScramFailure.class, r::run);
    assertThat(f).as("ScramFailure").isNotNull();
    assertThat(f.kind()).isEqualTo(kind);
    assertThat(f.getMessage()).isNotBlank().doesNotContain("pencil");
    return f;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void rfc7677Vector() throws ScramFailure {
    ScramExchange scram = rfcExchange(ScramExchange.DEFAULT_MAX_ITERATIONS);
    assertThat(new String(scram.clientFirstMessage(), StandardCharsets.UTF_8))
        .isEqualTo("n,,n=user,r=" + CLIENT_NONCE);
    assertThat(new String(scram.clientFinalMessage(utf8(SERVER_FIRST)), StandardCharsets.UTF_8))
        .isEqualTo(CLIENT_FINAL);
    scram.verifyServerFinal(utf8(SERVER_FINAL)); // must not throw
  }

  @Test
  void aVerifiedKeyPairIsReusedWithoutPbkdf2() throws ScramFailure {
    ScramExchange first = rfcExchange(ScramExchange.DEFAULT_MAX_ITERATIONS);
    first.clientFinalMessage(utf8(SERVER_FIRST));
    first.verifyServerFinal(utf8(SERVER_FINAL));
    long derivations = ScramExchange.keyDerivations();
    ScramExchange second = rfcExchange(ScramExchange.DEFAULT_MAX_ITERATIONS);
    assertThat(second.keysCached(utf8(SERVER_FIRST))).isTrue();
    assertThat(new String(second.clientFinalMessage(utf8(SERVER_FIRST)), StandardCharsets.UTF_8))
        .isEqualTo(CLIENT_FINAL);
    second.verifyServerFinal(utf8(SERVER_FINAL));
    assertThat(ScramExchange.keyDerivations()).isEqualTo(derivations);
  }

  @Test
  void anotherPasswordWithTheSameSaltIsDerivedAndFails() throws ScramFailure {
    ScramExchange right = rfcExchange(ScramExchange.DEFAULT_MAX_ITERATIONS);
    right.clientFinalMessage(utf8(SERVER_FIRST));
    right.verifyServerFinal(utf8(SERVER_FINAL));
    long derivations = ScramExchange.keyDerivations();
    ScramExchange wrong = new ScramExchange("user", "pencil2", 100_000, CLIENT_NONCE);
    assertThat(wrong.keysCached(utf8(SERVER_FIRST))).isFalse();
    assertThat(new String(wrong.clientFinalMessage(utf8(SERVER_FIRST)), StandardCharsets.UTF_8))
        .isNotEqualTo(CLIENT_FINAL);
    assertThat(ScramExchange.keyDerivations()).isEqualTo(derivations + 1);
    failure(ScramFailure.Kind.SERVER_SIGNATURE_MISMATCH, () -> wrong.verifyServerFinal(utf8(SERVER_FINAL)));
  }

  @Test
  void keysAreCachedOnlyAfterTheServerProvedThem() throws ScramFailure {
    // A salt no other test uses, so nothing is cached for it yet.
    String serverFirst = "r=" + CLIENT_NONCE + "xyz,s=" + java.util.Base64.getEncoder()
        .encodeToString(utf8("salt-only-here-" + System.nanoTime())) + ",i=4096";
    ScramExchange scram = new ScramExchange("user", "pencil", 100_000, CLIENT_NONCE);
    assertThat(scram.keysCached(utf8(serverFirst))).isFalse();
    scram.clientFinalMessage(utf8(serverFirst));
    failure(ScramFailure.Kind.SERVER_SIGNATURE_MISMATCH, () -> scram.verifyServerFinal(utf8(SERVER_FINAL)));
    assertThat(new ScramExchange("user", "pencil", 100_000, CLIENT_NONCE).keysCached(utf8(serverFirst)))
        .as("keys of an unverified server").isFalse();
  }

  @Test
  void wrongServerSignatureIsRejected() throws ScramFailure {
    ScramExchange scram = rfcExchange(ScramExchange.DEFAULT_MAX_ITERATIONS);
    scram.clientFinalMessage(utf8(SERVER_FIRST));
    // Same length, first signature byte changed.
    failure(ScramFailure.Kind.SERVER_SIGNATURE_MISMATCH,
        () -> scram.verifyServerFinal(utf8("v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")));
  }

  @Test
  void truncatedServerSignatureIsRejected() throws ScramFailure {
    ScramExchange scram = rfcExchange(ScramExchange.DEFAULT_MAX_ITERATIONS);
    scram.clientFinalMessage(utf8(SERVER_FIRST));
    failure(ScramFailure.Kind.SERVER_SIGNATURE_MISMATCH,
        () -> scram.verifyServerFinal(utf8("v=6rriTRBi23WpRR/wtup+mA==")));
  }

  @Test
  void serverErrorIsReported() throws ScramFailure {
    ScramExchange scram = rfcExchange(ScramExchange.DEFAULT_MAX_ITERATIONS);
    scram.clientFinalMessage(utf8(SERVER_FIRST));
    ScramFailure f = failure(ScramFailure.Kind.SERVER_ERROR,
        () -> scram.verifyServerFinal(utf8("e=invalid-proof")));
    assertThat(f).hasMessageContaining("invalid-proof");
  }

  @Test
  void malformedServerFinalIsRejected() throws ScramFailure {
    ScramExchange scram = rfcExchange(ScramExchange.DEFAULT_MAX_ITERATIONS);
    scram.clientFinalMessage(utf8(SERVER_FIRST));
    failure(ScramFailure.Kind.MALFORMED_SERVER_MESSAGE,
        () -> scram.verifyServerFinal(utf8("x=abc")));
  }

  @Test
  void invalidBase64VerifierIsRejected() throws ScramFailure {
    ScramExchange scram = rfcExchange(ScramExchange.DEFAULT_MAX_ITERATIONS);
    scram.clientFinalMessage(utf8(SERVER_FIRST));
    failure(ScramFailure.Kind.MALFORMED_SERVER_MESSAGE,
        () -> scram.verifyServerFinal(utf8("v=!!!!")));
  }

  @Test
  void hugeIterationCountIsRejectedBeforePbkdf2() {
    ScramExchange scram = rfcExchange(100_000);
    String first = "r=" + CLIENT_NONCE + "srv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=2000000000";
    long start = System.nanoTime();
    ScramFailure f = failure(ScramFailure.Kind.ITERATIONS_ABOVE_CAP,
        () -> scram.clientFinalMessage(utf8(first)));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    // 2e9 PBKDF2 iterations would take many minutes; generous bound for a loaded machine.
    assertThat(elapsedMs).isLessThan(2000);
    assertThat(f).hasMessageContaining("2000000000").hasMessageContaining("100000");
  }

  @Test
  void iterationCountBeyondIntIsAboveTheCap() {
    ScramExchange scram = rfcExchange(100_000);
    failure(ScramFailure.Kind.ITERATIONS_ABOVE_CAP, () -> scram.clientFinalMessage(
        utf8("r=" + CLIENT_NONCE + "x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=99999999999999999999")));
  }

  @Test
  void capIsInclusive() throws ScramFailure {
    failure(ScramFailure.Kind.ITERATIONS_ABOVE_CAP,
        () -> rfcExchange(4095).clientFinalMessage(utf8(SERVER_FIRST)));
    assertThat(new String(rfcExchange(4096).clientFinalMessage(utf8(SERVER_FIRST)),
        StandardCharsets.UTF_8)).isEqualTo(CLIENT_FINAL);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "r=someoneElsesNonce,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
      "r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
      "r=rOprNGfwEbeRWgbNEkqOx,s=,i=4096",
      "r=rOprNGfwEbeRWgbNEkqOx,s=not*base64,i=4096",
      "r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0",
      "r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=-1",
      "r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4k",
      "r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=",
      "r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==",
      "s=W22ZaJ0SNY7soEsUEjb6gQ==,r=rOprNGfwEbeRWgbNEkqOx,i=4096",
      "m=ext,r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
      "r=rOprNGfwEbeRWgbNEkqO\u00e9,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
      ""})
  void malformedServerFirstIsRejected(String serverFirst) {
    failure(ScramFailure.Kind.MALFORMED_SERVER_MESSAGE,
        () -> rfcExchange(100_000).clientFinalMessage(utf8(serverFirst)));
  }

  @Test
  void extensionsAfterTheIterationCountAreAllowed() throws ScramFailure {
    // The auth message includes the whole server-first, so the proof differs from the RFC's.
    byte[] out = rfcExchange(100_000).clientFinalMessage(utf8(SERVER_FIRST + ",x=ext"));
    assertThat(new String(out, StandardCharsets.UTF_8)).startsWith(
        "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=")
        .isNotEqualTo(CLIENT_FINAL);
  }

  @Test
  void passwordIsSaslPrepped() throws ScramFailure {
    // SASLprep maps U+2168 ROMAN NUMERAL NINE to "IX" (NFKC).
    byte[] prepped = new ScramExchange("user", "\u2168", 100_000, CLIENT_NONCE)
        .clientFinalMessage(utf8(SERVER_FIRST));
    byte[] plain = new ScramExchange("user", "IX", 100_000, CLIENT_NONCE)
        .clientFinalMessage(utf8(SERVER_FIRST));
    byte[] other = new ScramExchange("user", "IY", 100_000, CLIENT_NONCE)
        .clientFinalMessage(utf8(SERVER_FIRST));
    assertThat(prepped).isEqualTo(plain).isNotEqualTo(other);
  }

  @Test
  void randomNonceAndUserNameEscaping() {
    String a = new String(new ScramExchange("*", "p", 10).clientFirstMessage(),
        StandardCharsets.UTF_8);
    String b = new String(new ScramExchange("*", "p", 10).clientFirstMessage(),
        StandardCharsets.UTF_8);
    assertThat(a).startsWith("n,,n=*,r=").hasSizeGreaterThan("n,,n=*,r=".length() + 16)
        .isNotEqualTo(b);
    assertThat(new String(new ScramExchange("a=b,c", "p", 10, "nonce").clientFirstMessage(),
        StandardCharsets.UTF_8)).isEqualTo("n,,n=a=3Db=2Cc,r=nonce");
  }

  @Test
  void outOfOrderCallsAreRejected() throws ScramFailure {
    ScramExchange scram = rfcExchange(100_000);
    assertThatThrownBy(() -> scram.verifyServerFinal(utf8(SERVER_FINAL)))
        .isInstanceOf(IllegalStateException.class);
    scram.clientFinalMessage(utf8(SERVER_FIRST));
    assertThatThrownBy(() -> scram.clientFinalMessage(utf8(SERVER_FIRST)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void supported() {
    assertThat(ScramExchange.supported(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"))).isTrue();
    assertThat(ScramExchange.supported(List.of("SCRAM-SHA-256-PLUS"))).isFalse();
    assertThat(ScramExchange.supported(List.of())).isFalse();
    assertThat(ScramExchange.supported(null)).isFalse();
  }
}
