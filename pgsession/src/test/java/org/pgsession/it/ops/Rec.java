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
import org.pgsession.invariants.Checked;
import org.pgsession.invariants.RecorderCheck;

/**
 * One receiver for every operation kind: records events in order and counts terminal callbacks
 * (a single-statement execute's result counts as terminal). Override to react.
 *
 * <p>Checked at the end of the test by {@link RecorderCheck} with the API's terminal callbacks
 * (an execute's is {@code pgQueryComplete} or {@code pgQueryFailed}): exactly one, nothing after.
 */
class Rec implements ResultReceiver, PrepareReceiver, CopyInReceiver, CopyOutReceiver,
    StreamingResultReceiver, PipelineReceiver, Checked {
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<QueryFailure> failures = new CopyOnWriteArrayList<>();
  final List<Result> results = new CopyOnWriteArrayList<>();
  final List<Rows> batches = new CopyOnWriteArrayList<>();
  final AtomicInteger terminal = new AtomicInteger();
  final AtomicInteger readyCalls = new AtomicInteger();
  final AtomicLong copyBytes = new AtomicLong();
  final AtomicLong copyChunks = new AtomicLong();
  final AtomicLong count = new AtomicLong(-1);
  /** Terminal callbacks as the API defines them, for {@link RecorderCheck}. */
  private final AtomicInteger apiTerminals = new AtomicInteger();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  /** Whether any callback came; a Rec never called back is not judged (see violations). */
  private volatile boolean called;

  Rec() {
    RecorderCheck.register(this);
  }

  /** Every callback passes here. @param event its name @param terminal whether the API calls it terminal */
  private void saw(String event, boolean terminal) {
    called = true;
    if (apiTerminals.get() > 0) {
      problems.add("Rec: " + event + " after the terminal callback; events " + events);
    }
    if (terminal) {
      apiTerminals.incrementAndGet();
    }
  }

  @Override
  public boolean settled() {
    return apiTerminals.get() > 0 || !called;
  }

  @Override
  public List<String> violations() {
    List<String> out = new java.util.ArrayList<>(problems);
    // Not judged when never called back: PipeliningTest makes Recs that get no callback (to be
    // looked into: unused receivers, or lost callbacks).
    if (called && apiTerminals.get() != 1) {
      out.add(getClass().getSimpleName() + ": " + apiTerminals.get() + " terminal callbacks; events " + events);
    }
    return out;
  }

  @Override
  public Session session() {
    return null;
  }

  @Override
  public void pgQueryComplete(Session s, Query q) {
    saw("pgQueryComplete", true);
  }

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

  /**
   * Waits for the first terminal callback, at most 2 minutes: a million-row COPY or a 65535-parameter
   * query took over 30 s on a 2-core machine at load 30 (also without any driver change).
   *
   * @return this
   */
  Rec await() {
    return await(java.time.Duration.ofMinutes(2)); // a liveness bound; bulk tests on a loaded CI machine needed more than 30 s
  }

  /** Waits for the first terminal callback, at most {@code timeout} (for heavy work). @return this */
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
    saw("result", false);
    results.add(r);
    end("result");
  }

  @Override
  public void pgQueryFailed(Session s, Query q, QueryFailure f) {
    saw("queryFailed", true);
    failed("failed:", f);
  }

  @Override
  public void pgStatementPrepared(Session s, String name) {
    saw("prepared", true);
    end("prepared:" + name);
  }

  @Override
  public void pgPrepareFailed(Session s, String name, QueryFailure f) {
    saw("prepareFailed", true);
    failed("failed:", f);
  }

  @Override
  public void pgCopyReady(Session s) {
    saw("copyReady", false);
    readyCalls.incrementAndGet(); // default: never answers
  }

  @Override
  public void pgCopyData(Session s, byte[] data) {
    saw("copyData", false);
    copyBytes.addAndGet(data.length);
    copyChunks.incrementAndGet();
  }

  @Override
  public void pgCopyComplete(Session s, long c) {
    saw("copyComplete", true);
    count.set(c);
    end("copied:" + c);
  }

  @Override
  public void pgCopyFailed(Session s, QueryFailure f) {
    saw("copyFailed", true);
    failed("failed:", f);
  }

  @Override
  public void pgStreamBatch(Session s, Rows rows) {
    saw("batch", false);
    batches.add(rows);
    events.add("batch:" + rows.size());
  }

  @Override
  public void pgStreamComplete(Session s) {
    saw("streamComplete", true);
    end("complete");
  }

  @Override
  public void pgStreamFailed(Session s, ExtendedQuery q, QueryFailure f) {
    saw("streamFailed", true);
    failed("failed:", f);
  }

  @Override
  public void pgPipelineResult(Session s, int index, Result r) {
    saw("pipelineResult", false);
    results.add(r);
    events.add("ok" + index);
  }

  @Override
  public void pgPipelineFailed(Session s, int index, ExtendedQuery q, QueryFailure f) {
    saw("pipelineFailed", false);
    failures.add(f);
    events.add("fail" + index + ":" + code(f));
  }

  @Override
  public void pgPipelineComplete(Session s) {
    saw("pipelineComplete", true);
    end("complete");
  }
}
