package org.pgsession.internal.session;

import io.netty.buffer.ByteBuf;
import org.pgsession.AuthRequirement;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.ProtocolViolation;
import org.pgsession.internal.protocol.BackendMessage;
import org.pgsession.internal.protocol.BackendMessage.AuthenticationCleartextPassword;
import org.pgsession.internal.protocol.BackendMessage.AuthenticationMD5Password;
import org.pgsession.internal.protocol.BackendMessage.AuthenticationOk;
import org.pgsession.internal.protocol.BackendMessage.AuthenticationSASL;
import org.pgsession.internal.protocol.BackendMessage.AuthenticationSASLContinue;
import org.pgsession.internal.protocol.BackendMessage.AuthenticationSASLFinal;
import org.pgsession.internal.protocol.BackendMessage.ErrorResponse;
import org.pgsession.internal.protocol.BackendMessage.NegotiateProtocolVersion;
import org.pgsession.internal.protocol.FrontendMessages;
import org.pgsession.internal.protocol.Md5Password;
import org.pgsession.internal.protocol.ScramExchange;
import org.pgsession.internal.protocol.ScramFailure;
import org.pgsession.internal.transport.TlsInfo;

/**
 * The authentication exchange, from StartupMessage to AuthenticationOk, under the session's
 * {@link AuthRequirement}. SCRAM key derivation runs off the event loop.
 */
final class Authenticator {
  /** Where the exchange reports; implemented by the session machine. */
  interface Host {
    /** @param buf bytes to send (ownership passes) */
    void send(ByteBuf buf);

    /** @param reason the connection failed */
    void failConnection(ConnectionFailureReason reason);

    /** AuthenticationOk accepted. */
    void authenticated();

    /** @param blocking work for another thread @param then its continuation, run on the loop */
    void offLoop(Runnable blocking, Runnable then);

    /** @return false once the session has shut down */
    boolean alive();

    /**
     * The server refused the protocol 3.2 StartupMessage with an error instead of a
     * NegotiateProtocolVersion (PgBouncer before 1.24): reconnect once asking for 3.0.
     */
    void retryWithProtocol30();
  }



  private enum Step { STARTED, SCRAM_FIRST_SENT, SCRAM_FINAL_SENT, SCRAM_VERIFIED, PASSWORD_SENT }

  private final Host host;
  private final DatabaseConnectInfo database;
  private final AuthRequirement requirement;
  private final int maxScramIterations;
  /** The StartupMessage asks for protocol 3.2 unless a retry asks for 3.0. */
  static final int REQUESTED_MINOR_VERSION = 2;

  private final java.util.Set<String> requestedOptions;
  private final int requestedMinor;
  private final org.pgsession.ChannelBinding binding;
  private final TlsInfo tls;
  private int negotiatedMinor;
  private boolean bound;
  private Step step = Step.STARTED;
  private ScramExchange scram;
  private boolean negotiated;

  Authenticator(Host host, DatabaseConnectInfo database, AuthRequirement requirement, int maxScramIterations) {
    this(host, database, requirement, maxScramIterations, java.util.Set.of(), REQUESTED_MINOR_VERSION,
        org.pgsession.ChannelBinding.PREFER, TlsInfo.NONE);
  }

  /**
   * @param requestedOptions the {@code _pq_.*} protocol options the StartupMessage carried
   *     (the only ones a NegotiateProtocolVersion may name)
   * @param requestedMinor the protocol minor version the StartupMessage asked for (2 or 0)
   * @param binding the channel binding policy
   * @param tls what the TLS layer offers for binding
   */
  Authenticator(Host host, DatabaseConnectInfo database, AuthRequirement requirement, int maxScramIterations,
      java.util.Set<String> requestedOptions, int requestedMinor, org.pgsession.ChannelBinding binding, TlsInfo tls) {
    this.requestedOptions = requestedOptions;
    this.requestedMinor = requestedMinor;
    this.negotiatedMinor = requestedMinor;
    this.binding = binding;
    this.tls = tls;
    this.host = host;
    this.database = database;
    this.requirement = requirement;
    this.maxScramIterations = maxScramIterations;
  }

  /** @param message a message received before AuthenticationOk */
  void onMessage(BackendMessage message) {
    if (message instanceof AuthenticationOk) {
      onOk();
    } else if (message instanceof AuthenticationSASL sasl) {
      onSasl(sasl);
    } else if (message instanceof AuthenticationSASLContinue c) {
      onSaslContinue(c);
    } else if (message instanceof AuthenticationSASLFinal f) {
      onSaslFinal(f);
    } else if (message instanceof AuthenticationCleartextPassword) {
      sendPassword(database.password());
    } else if (message instanceof AuthenticationMD5Password md5) {
      sendPassword(Md5Password.hash(database.user(), database.password(), md5.salt()));
    } else if (message instanceof ErrorResponse err) {
      if (refusesProtocolVersion(err)) {
        host.retryWithProtocol30();
      } else {
        host.failConnection(StartupFailures.reasonFor(err.error()));
      }
    } else if (message instanceof NegotiateProtocolVersion npv) {
      onNegotiateProtocolVersion(npv);
    } else if (isUnsupportedAuth(message)) {
      host.failConnection(new ConnectionFailureReason.UnsupportedAuthenticationMethod());
    } else {
      host.failConnection(new ProtocolViolation("unexpected " + message.getClass().getSimpleName()
          + " during authentication"));
    }
  }

  /** @return the protocol minor version in use: the requested one, or the server's downgrade */
  int negotiatedMinor() {
    return negotiatedMinor;
  }

  /**
   * A server or pooler that does not know protocol 3.2 and says so with an error instead of a
   * NegotiateProtocolVersion: PgBouncer before 1.24 answers "bad packet header" (08P01), very old
   * servers "unsupported frontend protocol" (0A000). Only before anything else was exchanged.
   */
  private boolean refusesProtocolVersion(ErrorResponse err) {
    if (requestedMinor == 0 || step != Step.STARTED || negotiated) {
      return false;
    }
    String code = err.error().code();
    String text = err.error().message() == null ? "" : err.error().message().toLowerCase(java.util.Locale.ROOT);
    return ("08P01".equals(code) || "0A000".equals(code))
        && (text.contains("protocol") || text.contains("packet header") || text.contains("pkt"));
  }

  /**
   * The server may only downgrade what was asked: a minor version above the requested one, or
   * 3.1 (never a released version), is a violation, and it may only list protocol options
   * ({@code _pq_.*}) the client sent. Only once, before the first authentication request. A
   * downgrade to 3.0 means 3.0 semantics from here on (a 4-byte cancel key).
   */
  private void onNegotiateProtocolVersion(NegotiateProtocolVersion npv) {
    String problem = null;
    // The documentation says "minor version", but servers send the whole version code
    // (major << 16 | minor, e.g. 196608 for 3.0); accept both spellings.
    int offered = npv.newestMinorVersion();
    int minor = offered >>> 16 == 3 ? offered & 0xFFFF : offered;
    if (step != Step.STARTED || negotiated) {
      problem = "NegotiateProtocolVersion out of order";
    } else if (offered >>> 16 != 0 && offered >>> 16 != 3) {
      problem = "NegotiateProtocolVersion offers major version " + (offered >>> 16) + " but 3 was requested";
    } else if (minor > requestedMinor) {
      problem = "NegotiateProtocolVersion offers 3." + minor + " but 3." + requestedMinor + " was requested";
    } else if (minor == 1) {
      problem = "NegotiateProtocolVersion offers 3.1, which is not a protocol version";
    } else if (minor == requestedMinor && npv.unrecognizedOptions().isEmpty()) {
      problem = "NegotiateProtocolVersion neither downgrades nor names an option";
    } else {
      negotiatedMinor = minor;
      for (String option : npv.unrecognizedOptions()) {
        if (!requestedOptions.contains(option)) {
          problem = "NegotiateProtocolVersion names option " + option + " the client never sent";
          break;
        }
      }
    }
    negotiated = true;
    if (problem != null) {
      host.failConnection(new ProtocolViolation(problem));
    }
  }

  private static boolean isUnsupportedAuth(BackendMessage m) {
    return m instanceof BackendMessage.AuthenticationKerberosV5 || m instanceof BackendMessage.AuthenticationGSS
        || m instanceof BackendMessage.AuthenticationGSSContinue || m instanceof BackendMessage.AuthenticationSSPI
        || m instanceof BackendMessage.AuthenticationSCMCredential || m instanceof BackendMessage.AuthenticationUnknown;
  }

  private void onOk() {
    if (step == Step.SCRAM_FIRST_SENT || step == Step.SCRAM_FINAL_SENT) {
      // The server skipped proving it knows the password: a man in the middle would do that.
      host.failConnection(new ConnectionFailureReason.ServerVerificationFailed());
    } else if (requiresBinding() && !(step == Step.SCRAM_VERIFIED && bound)) {
      // A relay that logs in on its own (trust) must not pass for a bound login.
      host.failConnection(new ConnectionFailureReason.ChannelBindingRequired());
    } else if (requirement == AuthRequirement.REQUIRE_SCRAM && step != Step.SCRAM_VERIFIED) {
      host.failConnection(new ConnectionFailureReason.AuthenticationMethodRejected());
    } else {
      host.authenticated();
    }
  }

  private boolean requiresBinding() {
    return binding == org.pgsession.ChannelBinding.REQUIRE;
  }

  private void sendPassword(String password) {
    if (requiresBinding()) {
      host.failConnection(new ConnectionFailureReason.ChannelBindingRequired());
      return;
    }
    if (requirement == AuthRequirement.REQUIRE_SCRAM) {
      host.failConnection(new ConnectionFailureReason.AuthenticationMethodRejected());
      return;
    }
    if (step != Step.STARTED) {
      host.failConnection(new ProtocolViolation("second password request during authentication"));
      return;
    }
    step = Step.PASSWORD_SENT;
    ByteBuf buf = allocate();
    FrontendMessages.passwordMessage(buf, password);
    host.send(buf);
  }

  private void onSasl(AuthenticationSASL sasl) {
    if (step != Step.STARTED) {
      host.failConnection(new ProtocolViolation("AuthenticationSASL out of order"));
      return;
    }
    scram = chooseExchange(sasl.mechanisms());
    if (scram == null) {
      return;
    }
    step = Step.SCRAM_FIRST_SENT;
    ByteBuf buf = allocate();
    FrontendMessages.saslInitialResponse(buf, scram.mechanism(), scram.clientFirstMessage());
    host.send(buf);
  }

  /**
   * SCRAM-SHA-256-PLUS when TLS gives binding data, the server offers it and the policy allows;
   * otherwise plain SCRAM (flag {@code y} over TLS so a stripped -PLUS is detected by the server).
   *
   * @return the exchange, or null after failing the connection
   */
  private ScramExchange chooseExchange(java.util.List<String> mechanisms) {
    boolean canBind = binding != org.pgsession.ChannelBinding.DISABLE && tls.serverEndPoint() != null;
    if (canBind && ScramExchange.offersPlus(mechanisms)) {
      bound = true;
      return ScramExchange.bound(database.user(), database.password(), maxScramIterations, tls.serverEndPoint());
    }
    if (requiresBinding()) {
      host.failConnection(new ConnectionFailureReason.ChannelBindingRequired());
      return null;
    }
    if (!ScramExchange.supported(mechanisms)) {
      host.failConnection(new ConnectionFailureReason.UnsupportedAuthenticationMethod());
      return null;
    }
    if (canBind) {
      return ScramExchange.bindingNotOffered(database.user(), database.password(), maxScramIterations);
    }
    return new ScramExchange(database.user(), database.password(), maxScramIterations);
  }

  private void onSaslContinue(AuthenticationSASLContinue c) {
    if (step != Step.SCRAM_FIRST_SENT) {
      host.failConnection(new ProtocolViolation("AuthenticationSASLContinue out of order"));
      return;
    }
    step = Step.SCRAM_FINAL_SENT;
    byte[][] result = new byte[1][];
    ScramFailure[] failure = new ScramFailure[1];
    Runnable compute = () -> {
      try {
        result[0] = scram.clientFinalMessage(c.data());
      } catch (ScramFailure e) {
        failure[0] = e;
      }
    };
    Runnable then = () -> {
      if (!host.alive()) {
        return;
      }
      if (failure[0] != null) {
        host.failConnection(new ConnectionFailureReason.ServerVerificationFailed());
        return;
      }
      ByteBuf buf = allocate();
      FrontendMessages.saslResponse(buf, result[0]);
      host.send(buf);
    };
    if (scram.keysCached(c.data())) {
      compute.run(); // keys known: a few HMACs, fine on the event loop
      then.run();
    } else {
      host.offLoop(compute, then); // PBKDF2 with the server's iteration count: too slow for the loop
    }
  }

  private void onSaslFinal(AuthenticationSASLFinal f) {
    if (step != Step.SCRAM_FINAL_SENT) {
      host.failConnection(new ProtocolViolation("AuthenticationSASLFinal out of order"));
      return;
    }
    try {
      scram.verifyServerFinal(f.data());
      step = Step.SCRAM_VERIFIED;
    } catch (ScramFailure e) {
      host.failConnection(new ConnectionFailureReason.ServerVerificationFailed());
    }
  }

  private static ByteBuf allocate() {
    return io.netty.buffer.Unpooled.buffer(64);
  }

}
