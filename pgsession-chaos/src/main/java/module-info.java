/**
 * pgsession-chaos: fault injection for tests of PostgreSQL clients. {@link
 * org.pgsession.chaos.FaultProxy} sits between a client and a real server and breaks the
 * connection on demand; {@link org.pgsession.chaos.FakeBackend} plays a scripted server.
 */
module org.pgsession.chaos {
  exports org.pgsession.chaos;
}
