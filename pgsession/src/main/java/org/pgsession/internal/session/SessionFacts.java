package org.pgsession.internal.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.pgsession.TransactionStatus;
import org.pgsession.internal.future.LoopFuture;

/**
 * What the session accessors report ({@code transactionStatus()}, {@code parameter()},
 * {@code backendPid()}, {@code isOpen()}), written on the event loop and readable from any
 * thread; plus the shutdown future and the "run when idle" waiters. Kept apart from
 * {@link SessionMachine} so the machine only calls one method per event.
 */
public final class SessionFacts {
  private volatile TransactionStatus transactionStatus = TransactionStatus.IDLE;
  private volatile int backendPid;
  private volatile int protocolMinor = -1;
  private volatile boolean open;
  private final Map<String, String> parameters = new ConcurrentHashMap<>();
  private final LoopFuture<Void> shutdown = new LoopFuture<>();
  private final List<Runnable> idleWaiters = new ArrayList<>(1); // event loop only

  /** @param status the status of a ReadyForQuery (the first one also makes the session open) */
  void readyForQuery(TransactionStatus status) {
    transactionStatus = status;
  }

  /** The first ReadyForQuery arrived. */
  void ready() {
    open = true;
  }

  /** @param name a ParameterStatus name @param value its value */
  void parameter(String name, String value) {
    parameters.put(name, value);
  }

  /** @param pid the backend's process id from BackendKeyData */
  /** @param minor the protocol minor version the session speaks (0 or 2) */
  void protocolMinor(int minor) {
    protocolMinor = minor;
  }

  /** @return the protocol minor version in use once authenticated (0 or 2), -1 before */
  public int protocolMinor() {
    return protocolMinor;
  }

  void backendPid(int pid) {
    backendPid = pid;
  }

  /** The session started shutting down. */
  void closing() {
    open = false;
  }

  /** The session has shut down ({@code pgSessionShutdown} has run). */
  void shutDown() {
    open = false;
    runIdleWaiters();
    shutdown.complete(null);
  }

  /**
   * @param waiter to run on the event loop once nothing is in flight or queued (or the session
   *     shut down)
   */
  void addIdleWaiter(Runnable waiter) {
    idleWaiters.add(waiter);
  }

  /** Nothing is in flight or queued: runs and forgets the idle waiters. */
  void runIdleWaiters() {
    if (idleWaiters.isEmpty()) {
      return;
    }
    List<Runnable> waiters = new ArrayList<>(idleWaiters);
    idleWaiters.clear();
    for (Runnable w : waiters) {
      Callbacks.run("idle waiter", w);
    }
  }

  /** @return the status of the last ReadyForQuery (IDLE before the first) */
  public TransactionStatus transactionStatus() {
    return transactionStatus;
  }

  /** @param name a server parameter @return its last reported value, or null */
  public String parameter(String name) {
    return parameters.get(name);
  }

  /** @return the backend process id, 0 before BackendKeyData */
  public int backendPid() {
    return backendPid;
  }

  /** @return true from the first ReadyForQuery until the session starts shutting down */
  public boolean isOpen() {
    return open;
  }

  /** @return completes (on the event loop) right after {@code pgSessionShutdown} */
  public LoopFuture<Void> shutdownFuture() {
    return shutdown;
  }
}
