/**
 * pgsession-r2dbc: the R2DBC SPI 1.0 driver {@code pgsession} on top of pgsession's
 * {@code Session}. Public API in {@code org.pgsession.r2dbc}.
 */
module org.pgsession.r2dbc {
  requires transitive org.pgsession;
  requires transitive r2dbc.spi;
  requires transitive org.reactivestreams;
  requires transitive reactor.core; // the public types return Mono and Flux

  exports org.pgsession.r2dbc;

  provides io.r2dbc.spi.ConnectionFactoryProvider with org.pgsession.r2dbc.PgsessionConnectionFactoryProvider;
}
