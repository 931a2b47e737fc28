package org.pgsession.r2dbc;

import io.r2dbc.spi.ConnectionFactoryMetadata;

/** Names the database product: PostgreSQL. */
final class PgsessionConnectionFactoryMetadata implements ConnectionFactoryMetadata {
  static final PgsessionConnectionFactoryMetadata INSTANCE = new PgsessionConnectionFactoryMetadata();

  @Override
  public String getName() {
    return "PostgreSQL";
  }
}
