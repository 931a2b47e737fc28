package org.pgsession;

/**
 * A result column.
 *
 * @param name column name
 * @param typeOid type OID
 * @param format 0 text, 1 binary
 */
public record Column(String name, int typeOid, short format) {}
