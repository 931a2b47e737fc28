package org.pgsession.scripted;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.pgsession.CopyInReceiver;
import org.pgsession.CopyOutReceiver;
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

/**
 * A receiver for every operation kind that records failures and counts terminal callbacks
 * (for a pipeline: each index's answer, and the completion separately).
 */
class AnyReceiver implements ResultReceiver, PrepareReceiver, CopyInReceiver, CopyOutReceiver,
    StreamingResultReceiver, PipelineReceiver {
  final List<QueryFailure> failures = new CopyOnWriteArrayList<>();
  final AtomicInteger terminal = new AtomicInteger();
  final AtomicInteger completions = new AtomicInteger();

  private void failed(QueryFailure f) {
    failures.add(f);
    terminal.incrementAndGet();
  }

  @Override public void pgQueryResult(Session s, Result r) {
    terminal.incrementAndGet();
  }

  @Override public void pgQueryFailed(Session s, Query q, QueryFailure f) {
    failed(f);
  }

  @Override public void pgStatementPrepared(Session s, String name) {
    terminal.incrementAndGet();
  }

  @Override public void pgPrepareFailed(Session s, String name, QueryFailure f) {
    failed(f);
  }

  @Override public void pgCopyReady(Session s) { }

  @Override public void pgCopyData(Session s, byte[] data) { }

  @Override public void pgCopyComplete(Session s, long count) {
    terminal.incrementAndGet();
  }

  @Override public void pgCopyFailed(Session s, QueryFailure f) {
    failed(f);
  }

  @Override public void pgStreamBatch(Session s, Rows rows) { }

  @Override public void pgStreamComplete(Session s) {
    terminal.incrementAndGet();
  }

  @Override public void pgStreamFailed(Session s, ExtendedQuery q, QueryFailure f) {
    failed(f);
  }

  @Override public void pgPipelineResult(Session s, int index, Result r) {
    terminal.incrementAndGet();
  }

  @Override public void pgPipelineFailed(Session s, int index, ExtendedQuery q, QueryFailure f) {
    failed(f);
  }

  @Override public void pgPipelineComplete(Session s) {
    completions.incrementAndGet();
  }
}
