package ai.videorl.cluster.spark;

import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.SparkContext;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A run's answer to SIGTERM (or any other orderly JVM shutdown) while it is in flight. Without
 * it, Spark's own shutdown hook stops the context under the running jobs and the run dies in a
 * stack trace. This hook runs first (Hadoop's shutdown hooks go by priority; Spark's hangs off one
 * of priority 40): it marks the stop as requested, cancels the run's jobs — every second, so a job
 * the driver starts next is cancelled too — and holds the shutdown until the run says it has
 * stopped ({@link #close}) or {@value #WAIT_SECONDS} seconds pass (Hadoop's own limit on a hook,
 * {@code hadoop.service.shutdown.timeout}, is 30 s by default).
 */
public final class GracefulStop implements AutoCloseable {

    /** Above Spark's hook (FileSystem's priority 10 + 30). */
    private static final int PRIORITY = 100;
    private static final long WAIT_SECONDS = 30;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Runnable hook;
    private volatile boolean requested;

    private GracefulStop(SparkContext spark) {
        this.hook = () -> {
            requested = true;
            try {
                for (long second = 0; second < WAIT_SECONDS; second++) {
                    spark.cancelAllJobs();
                    if (stopped.await(1, TimeUnit.SECONDS)) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** Watches for a shutdown until {@link #close}. */
    public static GracefulStop install(SparkContext spark) {
        GracefulStop stop = new GracefulStop(spark);
        ShutdownHookManager.get().addShutdownHook(stop.hook, PRIORITY);
        return stop;
    }

    /** Whether the JVM is shutting down: the run should stop where it is. */
    public boolean requested() {
        return requested;
    }

    /** The run has stopped (or ended): a shutdown may go on, and this no longer watches. */
    @Override
    public void close() {
        stopped.countDown();
        if (!requested && !ShutdownHookManager.get().isShutdownInProgress()) {
            ShutdownHookManager.get().removeShutdownHook(hook);
        }
    }
}
