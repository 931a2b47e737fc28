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
  }

  private enum Step { STARTED, SCRAM_FIRST_SENT, SCRAM_FINAL_SENT, SCRAM_VERIFIED, PASSWORD_SENT }

  private final Host host;
  private final DatabaseConnectInfo database;
  private final AuthRequirement requirement;
  private final int maxScramIterations;
  /** The StartupMessage asks for protocol 3.0. */
  static final int REQUESTED_MINOR_VERSION = 0;

  private final java.util.Set<String> requestedOptions;
  private Step step = Step.STARTED;
  private ScramExchange scram;
  private boolean negotiated;

  Authenticator(Host host, DatabaseConnectInfo database, AuthRequirement requirement, int maxScramIterations) {
    this(host, database, requirement, maxScramIterations, java.util.Set.of());
  }

  /**
   * @param requestedOptions the {@code _pq_.*} protocol options the StartupMessage carried
   *     (the only ones a NegotiateProtocolVersion may name)
   */
  Authenticator(Host host, DatabaseConnectInfo database, AuthRequirement requirement, int maxScramIterations,
      java.util.Set<String> requestedOptions) {
    this.requestedOptions = requestedOptions;
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
      host.failConnection(StartupFailures.reasonFor(err.error()));
    } else if (message instanceof NegotiateProtocolVersion npv) {
      onNegotiateProtocolVersion(npv);
    } else if (isUnsupportedAuth(message)) {
      host.failConnection(new ConnectionFailureReason.UnsupportedAuthenticationMethod());
    } else {
      host.failConnection(new ProtocolViolation("unexpected " + message.getClass().getSimpleName()
          + " during authentication"));
    }
  }

  /**
   * The server may only downgrade what was asked: a minor version below the requested 3.0 does
   * not exist, and it may only list protocol options ({@code _pq_.*}) the client sent. Only
   * once, before the first authentication request.
   */
  private void onNegotiateProtocolVersion(NegotiateProtocolVersion npv) {
    String problem = null;
    if (step != Step.STARTED || negotiated) {
      problem = "NegotiateProtocolVersion out of order";
    } else if (npv.newestMinorVersion() > REQUESTED_MINOR_VERSION) {
      problem = "NegotiateProtocolVersion offers 3." + npv.newestMinorVersion() + " but 3."
          + REQUESTED_MINOR_VERSION + " was requested";
    } else {
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
    } else if (requirement == AuthRequirement.REQUIRE_SCRAM && step != Step.SCRAM_VERIFIED) {
      host.failConnection(new ConnectionFailureReason.AuthenticationMethodRejected());
    } else {
      host.authenticated();
    }
  }

  private void sendPassword(String password) {
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
    if (!ScramExchange.supported(sasl.mechanisms())) {
      host.failConnection(new ConnectionFailureReason.UnsupportedAuthenticationMethod());
      return;
    }
    scram = new ScramExchange(database.user(), database.password(), maxScramIterations);
    step = Step.SCRAM_FIRST_SENT;
    ByteBuf buf = allocate();
    FrontendMessages.saslInitialResponse(buf, ScramExchange.MECHANISM, scram.clientFirstMessage());
    host.send(buf);
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
