package org.pgsession.internal.session;

import java.time.Duration;
import org.pgsession.QueryFailure;
import org.pgsession.internal.protocol.BackendMessage;
import org.pgsession.internal.protocol.ProtocolViolationException;

/**
 * One wire exchange (a query, a prepare, a copy, ...). It writes its messages, consumes the
 * backend messages that answer it, and delivers its receiver's callbacks. The base class makes
 * the terminal callback happen exactly once, whichever path ends the operation.
 */
abstract class Operation {
  private final Duration statementTimeout;
  private boolean terminated;
  /** While set, a failure is kept in {@link #heldFailure} instead of being delivered. */
  private boolean holdingFailure;
  private QueryFailure heldFailure;
  /** Bytes its start wrote; counted against the pipelining window until it completes. */
  long writtenBytes;
  /** Metrics/JFR observation, null when nobody observes (set before submission). */
  Observation observation;

  /** @param statementTimeout null for none */
  Operation(Duration statementTimeout) {
    this.statementTimeout = statementTimeout;
  }

  /** @return the statement timeout, or null */
  final Duration statementTimeout() {
    return statementTimeout;
  }

  /**
   * Writes the operation's messages.
   *
   * @param host the session
   * @return false when it failed before anything was sent (its failure is delivered)
   */
  abstract boolean start(OperationHost host);

  /**
   * Whether the operation may be written while earlier ones are still unanswered (pipelining).
   * True only when {@link #start} writes its complete message sequence ending in Sync, it needs
   * no further write before its ReadyForQuery, and it has no statement timeout. Called just
   * before {@link #start}, on the event loop. The default is false: the operation is a barrier.
   *
   * @param host the session
   * @return whether it can be pipelined behind unanswered operations
   */
  boolean pipelinable(OperationHost host) {
    return false;
  }

  /**
   * @return true while the operation (already written) may still write before its last
   *     ReadyForQuery, so nothing may be written behind it meanwhile
   */
  boolean holdsWritesBehind() {
    return false;
  }

  /**
   * Consumes one backend message (never ReadyForQuery, never an asynchronous message).
   *
   * @param message the message
   * @param host the session
   * @throws ProtocolViolationException when the message does not fit this exchange
   */
  abstract void onMessage(BackendMessage message, OperationHost host);

  /**
   * ReadyForQuery arrived for this operation.
   *
   * @param host the session
   * @return true when the operation is complete (pipelines see several ReadyForQuery)
   */
  abstract boolean onReadyForQuery(OperationHost host);

  /** Delivers the receiver's failure callback. @param host session @param failure why */
  protected abstract void deliverFailure(OperationHost host, QueryFailure failure);

  /** @return whether the terminal callback was delivered */
  final boolean terminated() {
    return terminated;
  }

  /** Marks the terminal callback as delivered; @return false if it already was */
  protected final boolean terminate() {
    if (terminated) {
      return false;
    }
    terminated = true;
    return true;
  }

  /**
   * @return whether the receiver already holds a complete answer in its hands, so that a
   *     {@code close()} from inside its callback ends it without a failure: a simple query
   *     that delivered results (the receiver closed after seeing them)
   */
  boolean answeredSoFar() {
    return false;
  }

  /**
   * Ends an operation whose receiver closed the session from inside its callback after
   * {@link #answeredSoFar} became true: its terminal callback, without a failure.
   *
   * @param host the session
   */
  void endAnswered(OperationHost host) {
    terminate();
  }

  /** Fails the operation unless it already ended. @param host session @param failure why */
  final void fail(OperationHost host, QueryFailure failure) {
    if (terminate()) {
      if (holdingFailure) {
        heldFailure = failure;
      } else {
        observeEnd(failure);
        deliverFailure(host, failure);
      }
    }
  }

  /**
   * Keeps a failure that happens before anything is written from being delivered ahead of the
   * callbacks of operations written earlier; {@link #releaseFailure} delivers it in its turn.
   *
   * @param hold whether to hold failures from now on
   */
  final void holdFailures(boolean hold) {
    holdingFailure = hold;
  }

  /** Delivers a held failure, if any. @param host the session */
  final void releaseFailure(OperationHost host) {
    holdingFailure = false;
    QueryFailure f = heldFailure;
    heldFailure = null;
    if (f != null) {
      observeEnd(f);
      deliverFailure(host, f);
    }
  }

  /**
   * Ends the observation, if any and not yet ended (before the failure callback, so an observer
   * has recorded it by the time the caller sees it).
   *
   * @param failure why the operation failed, or null
   */
  final void observeEnd(QueryFailure failure) {
    Observation o = observation;
    if (o != null) {
      observation = null;
      o.end(failure);
    }
  }

  /**
   * Writes the messages {@code writer} puts into one buffer and sends them; when the writer
   * rejects an argument (NUL in a string, message too large, ...) nothing is sent and the
   * operation fails with a DataError.
   *
   * @param host the session
   * @param what what is being sent, for the error message
   * @param writer fills the buffer
   * @return whether it was sent
   */
  protected final boolean sendOrFail(OperationHost host, String what,
      java.util.function.Consumer<io.netty.buffer.ByteBuf> writer) {
    return sendOrFail(host, what, 256, writer);
  }

  /**
   * As {@link #sendOrFail(OperationHost, String, java.util.function.Consumer)}, with the buffer
   * sized up front for what will be written.
   *
   * @param host the session
   * @param what what is being sent, for the error message
   * @param sizeHint the expected number of bytes
   * @param writer fills the buffer
   * @return whether it was sent
   */
  protected final boolean sendOrFail(OperationHost host, String what, int sizeHint,
      java.util.function.Consumer<io.netty.buffer.ByteBuf> writer) {
    io.netty.buffer.ByteBuf buf = host.transport().alloc().buffer(sizeHint);
    try {
      writer.accept(buf);
    } catch (IllegalArgumentException e) {
      buf.release();
      fail(host, new org.pgsession.ClientQueryError.DataError("cannot send " + what + ": " + e.getMessage()));
      return false;
    }
    host.transport().send(buf);
    return true;
  }

  /**
   * @param host the session
   * @param query the query whose parameters to encode
   * @return the encoded parameters, or null after failing the operation with a DataError
   */
  protected final BoundParameters encodeOrFail(OperationHost host, org.pgsession.ExtendedQuery query) {
    try {
      return BoundParameters.encode(query, host.registry(), host.descriptions());
    } catch (BoundParameters.EncodeFailure e) {
      fail(host, new org.pgsession.ClientQueryError.DataError(e.getMessage()));
      return null;
    }
  }

  /** @param message the message @return a violation naming it and this operation */
  protected final ProtocolViolationException unexpected(BackendMessage message) {
    return new ProtocolViolationException("unexpected " + message.getClass().getSimpleName()
        + " during " + getClass().getSimpleName());
  }
}
