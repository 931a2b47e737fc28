package org.pgsession;

/** What kind of wire exchange an observed operation is (see {@link SessionObserver}). */
public enum OperationKind {
  /** {@link Session#execute} of a simple or extended query. */
  QUERY,
  /** {@link Session#prepare}: Parse and Describe of a named statement. */
  PREPARE,
  /** {@link Session#stream}: rows fetched window by window. */
  STREAM,
  /** COPY ... FROM STDIN. */
  COPY_IN,
  /** COPY ... TO STDOUT. */
  COPY_OUT,
  /** {@link Session#pipeline}: several statements, each with its own result. */
  PIPELINE,
  /** {@link Session#batch}: several statements in one implicit transaction. */
  BATCH
}
