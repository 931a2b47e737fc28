package org.pgsession.examples.features;

import java.util.concurrent.CompletableFuture;
import org.pgsession.Notification;
import org.pgsession.PgException;
import org.pgsession.Session;
import org.pgsession.SessionStatusNotify;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;

/** LISTEN on one session, NOTIFY from another; notifications arrive at pgNotification. */
public final class ListenNotifyExample implements Example {
  @Override
  public String name() {
    return "listen-notify";
  }

  @Override
  public String summary() {
    return "LISTEN/NOTIFY: asynchronous notifications through SessionStatusNotify";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    CompletableFuture<Notification> received = new CompletableFuture<>();
    CompletableFuture<Session> ready = new CompletableFuture<>();
    Session listener = Session.connect(env.server(), env.database(), new SessionStatusNotify() {
      @Override
      public void pgSessionAuthenticated(Session s) {
        ready.complete(s);
      }

      @Override
      public void pgSessionConnectionFailed(Session s, org.pgsession.ConnectionFailureReason reason) {
        ready.completeExceptionally(new IllegalStateException("cannot connect: " + reason));
      }

      @Override
      public void pgNotification(Session s, Notification notification) {
        received.complete(notification);
      }
    });
    try (listener; Session sender = env.open()) {
      ExampleEnv.await(ready);
      ExampleEnv.await(listener.update("LISTEN example_channel"));
      ExampleEnv.await(sender.update("SELECT pg_notify($1, $2)", "example_channel", "hello from the other session"));
      Notification n = ExampleEnv.await(received);
      env.out().println("notification on " + n.channel() + ": " + n.payload()
          + (n.pid() == sender.backendPid() ? " (from the sender's backend)" : ""));
    } catch (PgException e) {
      throw new IllegalStateException("LISTEN/NOTIFY failed: " + e.getMessage(), e);
    }
  }
}
