package ai.videorl.benchmarks;

import ai.videorl.cluster.model.PolicyConfig;
import ai.videorl.cluster.model.PolicyWeights;
import ai.videorl.cluster.rollout.PolicyShards;
import ai.videorl.cluster.rollout.PushedWeights;
import ai.videorl.cluster.spark.SparkSessions;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * Weight push against weight size, on whatever cluster spark-submit names (bin/bench-cluster runs
 * it on the standalone cluster of {@code cluster/standalone.sh}). For each size, a policy's
 * weights blob of that many bytes is pushed as the trainer pushes it ({@link PushedWeights}), over
 * each transport (the driver's endpoint, Spark broadcasts), then one task per executor decodes it as
 * a shard does before loading it ({@link PushedWeights#read}). Printed per size and transport, the
 * median of the repeats:
 * <ul>
 *   <li>push: the driver's {@code PushedWeights.push}, what {@code timing_s/update_weights} logs;</li>
 *   <li>delivered: from the push until every executor holds the decoded weights (a job of one task per executor);</li>
 *   <li>fetched: the slowest executor's {@code PushedWeights.read} inside that job, what a push adds to an
 *       iteration's rollout tasks, which run as a job anyway;</li>
 *   <li>memcpy: {@code System.arraycopy} of the same bytes in this JVM;</li>
 *   <li>loopback: the same bytes through one TCP connection on 127.0.0.1 (the wire a push crosses here).</li>
 * </ul>
 * Arguments: {@code EXECUTORS REPEATS MB...} (the executors the cluster should give this application).
 */
public final class WeightPushBenchmark {

    private static final int BUFFER = 1 << 20;

    private WeightPushBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int executors = Integer.parseInt(args[0]);
        int repeats = Integer.parseInt(args[1]);
        int[] megabytes = Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray();
        SparkSession spark = SparkSessions.forJob("weight-push benchmark");
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        awaitExecutors(context, executors);
        System.out.printf(Locale.ROOT, "weight push to %d executors (%s), median of %d%n", executors, spark.sparkContext().master(), repeats);
        System.out.printf(Locale.ROOT, "%10s %-10s %10s %12s %10s %12s %10s %11s %16s %16s%n",
                "weights", "transport", "push s", "delivered s", "fetched s", "GB/s deliv.", "memcpy s", "loopback s", "deliv./loopback",
                "fetched/loopback");
        for (int size : megabytes) {
            PolicyWeights weights = weightsOf(size * 1_000_000L);
            byte[] blob = weights.toBytes();
            double memcpy = memcpySeconds(blob);
            double loopback = loopbackSeconds(blob);
            for (PushedWeights.Transport transport : PushedWeights.Transport.values()) {
                double[] push = new double[repeats];
                double[] delivered = new double[repeats];
                double[] fetched = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    PolicyWeights version = weights.withVersion(r + 1);
                    long start = System.nanoTime();
                    PushedWeights pushed = PushedWeights.push(context, version, PolicyShards.Role.POLICY, transport);
                    push[r] = seconds(start);
                    List<Tuple2<String, Double>> fetches = context.parallelize(IntStream.range(0, executors).boxed().toList(),
                            executors).map(task -> decodeOn(pushed)).collect();
                    delivered[r] = seconds(start);
                    fetched[r] = fetches.stream().mapToDouble(Tuple2::_2).max().orElseThrow();
                    Set<String> distinct = new HashSet<>(fetches.stream().map(Tuple2::_1).toList());
                    if (distinct.size() != executors) {
                        System.out.println("  (the tasks ran on " + distinct + ", not on " + executors + " distinct executors)");
                    }
                    pushed.destroy();
                }
                double deliveredMedian = median(delivered);
                double fetchedMedian = median(fetched);
                System.out.printf(Locale.ROOT, "%7d MB %-10s %10.3f %12.3f %10.3f %12.2f %10.4f %11.3f %15.1fx %15.1fx%n", size,
                        transport.name().toLowerCase(Locale.ROOT), median(push), deliveredMedian, fetchedMedian,
                        blob.length / 1e9 / deliveredMedian, memcpy, loopback, deliveredMedian / loopback, fetchedMedian / loopback);
            }
        }
        spark.stop();
    }

    /** A task's work: the weights read and decoded on its executor; which executor, and the seconds its read took. */
    private static Tuple2<String, Double> decodeOn(PushedWeights pushed) {
        long start = System.nanoTime();
        PolicyWeights decoded = pushed.read();
        double seconds = seconds(start);
        if (decoded.version() != pushed.version()) {
            throw new IllegalStateException("decoded v" + decoded.version() + ", pushed v" + pushed.version());
        }
        // A Tuple2 because the task's result goes through Kryo, which registers it (not a record of ours).
        return new Tuple2<>(SparkEnv.get().executorId(), seconds);
    }

    /** Weights of about {@code bytes} bytes: one tensor of random values (a blob's header is a few dozen bytes). */
    private static PolicyWeights weightsOf(long bytes) {
        int count = Math.toIntExact(bytes / Float.BYTES);
        float[] values = new float[count];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian() * 0.02f;
        }
        return new PolicyWeights(0, PolicyConfig.defaults(160), List.of("benchmark.values"), List.of(new long[] {count}), values);
    }

    /** Waits (up to two minutes) until the cluster has given this application {@code executors} executors. */
    private static void awaitExecutors(JavaSparkContext context, int executors) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        // The driver counts as one entry of the executor infos.
        while (context.sc().statusTracker().getExecutorInfos().length - 1 < executors) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster gave " + (context.sc().statusTracker().getExecutorInfos().length - 1)
                        + " executors in two minutes, not " + executors);
            }
            Thread.sleep(200);
        }
    }

    private static double memcpySeconds(byte[] blob) {
        byte[] copy = new byte[blob.length];
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 3; r++) {
            long start = System.nanoTime();
            System.arraycopy(blob, 0, copy, 0, blob.length);
            best = Math.min(best, seconds(start));
        }
        if (copy[copy.length - 1] != blob[blob.length - 1]) {
            throw new IllegalStateException("the copy differs");
        }
        return best;
    }

    /** The best of three transfers of {@code blob} from one socket to another on 127.0.0.1, 1 MiB buffers. */
    private static double loopbackSeconds(byte[] blob) throws Exception {
        double best = Double.MAX_VALUE;
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            for (int r = 0; r < 3; r++) {
                CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> drain(server));
                long start = System.nanoTime();
                try (SocketChannel client = SocketChannel.open(server.getLocalAddress())) {
                    ByteBuffer out = ByteBuffer.wrap(blob);
                    while (out.hasRemaining()) {
                        client.write(out);
                    }
                }
                if (received.get() != blob.length) {
                    throw new IllegalStateException("received " + received.get() + " of " + blob.length + " bytes");
                }
                best = Math.min(best, seconds(start));
            }
        }
        return best;
    }

    private static long drain(ServerSocketChannel server) {
        try (SocketChannel peer = server.accept()) {
            ByteBuffer in = ByteBuffer.allocateDirect(BUFFER);
            long total = 0;
            for (int read = peer.read(in); read >= 0; read = peer.read(in)) {
                total += read;
                in.clear();
            }
            return total;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
