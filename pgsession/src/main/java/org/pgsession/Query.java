package org.pgsession;

/** Something to execute: a simple-protocol SQL string, or an extended-protocol query. */
public sealed interface Query permits SimpleQuery, ExtendedQuery {}
