package org.pgsession.bench;

/**
 * W5 for any client: open a connection until it is ready, close it, {@code w5Connections} times
 * in sequence. Cold: every connect uses a role this JVM never used (its own SCRAM salt, so no
 * client can reuse derived keys); reconnect: always the main role.
 */
final class ConnectCloseBench implements Bench {
  /** One client's connect-and-close. */
  interface Client extends AutoCloseable {
    /** Starts what the client needs (an event loop, ...). */
    default void open() throws Exception {
    }

    /**
     * Opens a connection as {@code user} (password {@link Conf#passwordOf(String)}), waits until
     * it is ready, closes it and waits.
     *
     * @param user the role
     * @throws Exception on failure
     */
    void connectAndClose(String user) throws Exception;

    @Override
    default void close() throws Exception {
    }
  }

  private final Conf conf;
  private final boolean cold;
  private final Client client;
  private int role;

  ConnectCloseBench(Conf conf, boolean cold, Client client) {
    this.conf = conf;
    this.cold = cold;
    this.client = client;
  }

  @Override
  public void open() throws Exception {
    client.open();
  }

  @Override
  public long trial() throws Exception {
    for (int i = 0; i < conf.w5Connections(); i++) {
      String user = cold ? Conf.coldRole(++role) : conf.user();
      client.connectAndClose(user);
    }
    return conf.w5Connections();
  }

  @Override
  public void close() throws Exception {
    client.close();
  }
}
