package ai.videorl.cluster.model;

import org.apache.spark.SparkEnv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sizes libtorch's CPU thread pool to the executor it runs in. libtorch starts one intra-op
 * thread per core of the machine, so several executors on one machine (single-core executors of
 * a standalone worker, YARN containers sharing a node) would each start that many and fight over
 * the cores. Inside an executor JVM that Spark gave {@code spark.executor.cores}, the engine's
 * {@value #INTRA_OP} is set to that count before the engine starts, unless the user set it
 * ({@code spark.executor.extraJavaOptions=-Dai.djl.pytorch.num_threads=N}). The driver (and local
 * mode, whose tasks run in the driver) keeps libtorch's default.
 */
final class TorchThreads {

    static final String INTRA_OP = "ai.djl.pytorch.num_threads";
    /** The executor id Spark gives the driver (SparkContext.DRIVER_IDENTIFIER, not visible from Java). */
    private static final String DRIVER = "driver";
    private static final Logger LOG = LoggerFactory.getLogger(TorchThreads.class);

    private TorchThreads() {
    }

    /** Called before the PyTorch engine is first used in this JVM; later calls change nothing. */
    static synchronized void fitToExecutor() {
        SparkEnv env = SparkEnv.get();
        if (System.getProperty(INTRA_OP) != null || env == null || DRIVER.equals(env.executorId())) {
            return;
        }
        int cores = env.conf().getInt("spark.executor.cores", 0);
        if (cores > 0) {
            System.setProperty(INTRA_OP, Integer.toString(cores));
            LOG.info("libtorch intra-op threads: {} (spark.executor.cores of executor {})", cores, env.executorId());
        }
    }
}
