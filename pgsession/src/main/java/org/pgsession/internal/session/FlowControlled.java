package org.pgsession.internal.session;

/** An operation that writes only while the channel is writable (COPY IN, large pipelines). */
interface FlowControlled {
  /** The channel became writable again. @param host the session */
  void onWritable(OperationHost host);
}
