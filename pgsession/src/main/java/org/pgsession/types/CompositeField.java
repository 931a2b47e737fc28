package org.pgsession.types;

/** @param name attribute name @param oid attribute type OID */
public record CompositeField(String name, int oid) {}
