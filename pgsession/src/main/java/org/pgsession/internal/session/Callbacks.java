package org.pgsession.internal.session;

/**
 * Runs user callbacks so that an exception thrown by one is logged and never reaches the
 * read loop or the state machine.
 */
public final class Callbacks {
  private static final System.Logger LOG = System.getLogger("org.pgsession");

  private Callbacks() {}

  /** @param what a short name of the callback, for the log @param callback the user code */
  public static void run(String what, Runnable callback) {
    try {
      callback.run();
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable t) {
      LOG.log(System.Logger.Level.WARNING, "pgsession: callback " + what + " threw; ignored", t);
    }
  }
}
