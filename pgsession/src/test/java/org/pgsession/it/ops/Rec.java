package org.pgsession.it.ops;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.pgsession.CopyInReceiver;
import org.pgsession.CopyOutReceiver;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.ExtendedQuery;
import org.pgsession.PipelineReceiver;
import org.pgsession.PrepareReceiver;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultReceiver;
import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.StreamingResultReceiver;
import org.pgsession.it.Await;

/**
 * One receiver for every operation kind: records events in order and counts terminal callbacks
 * (a single-statement execute's result counts as terminal). Override to react.
 */
class Rec implements ResultReceiver, PrepareReceiver, CopyInReceiver, CopyOutReceiver,
    StreamingResultReceiver, PipelineReceiver {
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<QueryFailure> failures = new CopyOnWriteArrayList<>();
  final List<Result> results = new CopyOnWriteArrayList<>();
  final List<Rows> batches = new CopyOnWriteArrayList<>();
  final AtomicInteger terminal = new AtomicInteger();
  final AtomicInteger readyCalls = new AtomicInteger();
  final AtomicLong copyBytes = new AtomicLong();
  final AtomicLong copyChunks = new AtomicLong();
  final AtomicLong count = new AtomicLong(-1);

  static String code(QueryFailure f) {
    return f instanceof ErrorResponseMessage e ? e.code() : f.getClass().getSimpleName();
  }

  private void end(String event) {
    events.add(event);
    terminal.incrementAndGet();
  }

  private void failed(String prefix, QueryFailure f) {
    failures.add(f);
    end(prefix + code(f));
  }

  /** Waits for the first terminal callback. @return this */
  Rec await() {
    return await(Await.DEFAULT);
  }

  /** Waits at most {@code timeout} for the first terminal callback. @return this */
  Rec await(java.time.Duration timeout) {
    Await.until("terminal callback, events so far " + events.size(), timeout, () -> terminal.get() > 0);
    return this;
  }

  /** @return the only failure's SQLSTATE (or client error class name) after the terminal callback */
  String awaitFailureCode() {
    await();
    if (failures.isEmpty()) {
      throw new AssertionError("expected a failure, got " + events);
    }
    return code(failures.get(0));
  }

  @Override
  public void pgQueryResult(Session s, Result r) {
    results.add(r);
    end("result");
  }

  @Override
  public void pgQueryFailed(Session s, Query q, QueryFailure f) {
    failed("failed:", f);
  }

  @Override
  public void pgStatementPrepared(Session s, String name) {
    end("prepared:" + name);
  }

  @Override
  public void pgPrepareFailed(Session s, String name, QueryFailure f) {
    failed("failed:", f);
  }

  @Override
  public void pgCopyReady(Session s) {
    readyCalls.incrementAndGet(); // default: never answers
  }

  @Override
  public void pgCopyData(Session s, byte[] data) {
    copyBytes.addAndGet(data.length);
    copyChunks.incrementAndGet();
  }

  @Override
  public void pgCopyComplete(Session s, long c) {
    count.set(c);
    end("copied:" + c);
  }

  @Override
  public void pgCopyFailed(Session s, QueryFailure f) {
    failed("failed:", f);
  }

  @Override
  public void pgStreamBatch(Session s, Rows rows) {
    batches.add(rows);
    events.add("batch:" + rows.size());
  }

  @Override
  public void pgStreamComplete(Session s) {
    end("complete");
  }

  @Override
  public void pgStreamFailed(Session s, ExtendedQuery q, QueryFailure f) {
    failed("failed:", f);
  }

  @Override
  public void pgPipelineResult(Session s, int index, Result r) {
    results.add(r);
    events.add("ok" + index);
  }

  @Override
  public void pgPipelineFailed(Session s, int index, ExtendedQuery q, QueryFailure f) {
    failures.add(f);
    events.add("fail" + index + ":" + code(f));
  }

  @Override
  public void pgPipelineComplete(Session s) {
    end("complete");
  }
}
