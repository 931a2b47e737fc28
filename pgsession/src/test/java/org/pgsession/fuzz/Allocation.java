package org.pgsession.fuzz;

import java.lang.reflect.Method;

/**
 * Bytes allocated by the current thread (HotSpot's per-thread counter), to bound a decoder's
 * allocation. Reached by reflection: the tests compile inside the driver's module, which does
 * not read java.management.
 */
final class Allocation {
  private static final Object THREADS;
  private static final Method ALLOCATED;

  static {
    try {
      THREADS = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
      ALLOCATED = Class.forName("com.sun.management.ThreadMXBean").getMethod("getThreadAllocatedBytes", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Allocation() {}

  /** @return bytes allocated by this thread so far */
  static long now() {
    try {
      return (long) ALLOCATED.invoke(THREADS, Thread.currentThread().getId());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
