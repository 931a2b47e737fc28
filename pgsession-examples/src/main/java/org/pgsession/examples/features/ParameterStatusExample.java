package org.pgsession.examples.features;

import java.util.concurrent.CompletableFuture;
import org.pgsession.ParameterStatus;
import org.pgsession.Session;
import org.pgsession.SessionStatusNotify;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;

/** Server parameters reported at startup and whenever they change. */
public final class ParameterStatusExample implements Example {
  @Override
  public String name() {
    return "parameter-status";
  }

  @Override
  public String summary() {
    return "ParameterStatus: parameter() accessor and the pgParameterStatus callback";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    CompletableFuture<ParameterStatus> changed = new CompletableFuture<>();
    CompletableFuture<Session> ready = new CompletableFuture<>();
    try (Session session = Session.connect(env.server(), env.database(), new SessionStatusNotify() {
      @Override
      public void pgSessionAuthenticated(Session s) {
        ready.complete(s);
      }

      @Override
      public void pgSessionConnectionFailed(Session s, org.pgsession.ConnectionFailureReason reason) {
        ready.completeExceptionally(new IllegalStateException("cannot connect: " + reason));
      }

      @Override
      public void pgParameterStatus(Session s, ParameterStatus status) {
        if (status.name().equals("application_name") && status.value().equals("example-app")) {
          changed.complete(status);
        }
      }
    })) {
      ExampleEnv.await(ready);
      ExampleEnv.await(session.query("SELECT 1")); // the first ReadyForQuery: startup parameters are in
      String version = session.parameter("server_version");
      env.out().println("server_version = " + version + ", encoding " + session.parameter("client_encoding"));
      ExampleEnv.await(session.update("SET application_name = 'example-app'"));
      env.out().println("changed: " + ExampleEnv.await(changed).name() + " = " + session.parameter("application_name"));
    }
  }
}
