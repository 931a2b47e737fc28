package org.pgsession.examples.features;

import java.util.concurrent.CompletableFuture;
import org.pgsession.NoticeResponseMessage;
import org.pgsession.Session;
import org.pgsession.SessionStatusNotify;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;

/** Server notices (RAISE NOTICE, warnings) arrive at pgNotice. */
public final class NoticesExample implements Example {
  @Override
  public String name() {
    return "notices";
  }

  @Override
  public String summary() {
    return "NoticeResponse messages through SessionStatusNotify.pgNotice";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    CompletableFuture<NoticeResponseMessage> notice = new CompletableFuture<>();
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
      public void pgNotice(Session s, NoticeResponseMessage n) {
        notice.complete(n);
      }
    })) {
      ExampleEnv.await(ready);
      ExampleEnv.await(session.execute(new org.pgsession.SimpleQuery(
          "DO $$ BEGIN RAISE NOTICE 'disk space is fine: % GB free', 42; END $$")));
      NoticeResponseMessage n = ExampleEnv.await(notice);
      env.out().println(n.severity() + " " + n.code() + ": " + n.message());
    }
  }
}
