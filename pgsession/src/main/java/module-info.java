/**
 * pgsession: an asynchronous PostgreSQL driver on Netty. Public API in {@code org.pgsession}
 * and {@code org.pgsession.types}; everything under {@code org.pgsession.internal} is private.
 */
module org.pgsession {
  requires io.netty.buffer;
  requires io.netty.common;
  requires io.netty.transport;
  requires io.netty.handler;
  requires io.netty.codec;
  requires io.netty.resolver;
  requires io.netty.transport.classes.epoll;
  requires io.netty.transport.classes.io_uring;
  requires com.ongres.scram.client;
  requires java.logging;
  requires jdk.jfr;

  exports org.pgsession;
  exports org.pgsession.types;
}
