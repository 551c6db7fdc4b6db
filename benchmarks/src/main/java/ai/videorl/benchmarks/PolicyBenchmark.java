package ai.videorl.benchmarks;

import ai.djl.Device;
import ai.videorl.cluster.model.DecodingConfig;
import ai.videorl.cluster.model.PolicyConfig;
import ai.videorl.cluster.model.StopRule;
import ai.videorl.cluster.model.VideoPolicy;
import ai.videorl.common.loss.BatchShape;
import ai.videorl.common.text.VocabularyTokenizer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.Random;

/**
 * The default-size video policy on CPU (d = 64, 4 layers, 4 heads, 8 frames of 32x32, a
 * vocabulary of 160): generated tokens per second at batch 1 and 16 (KV cache, sampling at
 * T = 1), and training sequences per second (GRPO loss, forward and backward, batch 16 of 8
 * frames + 12 prompt + 24 response tokens). JMH reports the counters {@code tokens} and
 * {@code sequences} as rates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
public class PolicyBenchmark {

    private static final int FRAMES = 8;
    private static final int PROMPT = 12;
    private static final int RESPONSE = 24;

    @Param({"1", "16"})
    public int batch;

    private VideoPolicy policy;
    private VideoPolicy.Inputs inputs;
    private int[][] responses;
    private VideoPolicy.PolicyTargets targets;
    private long seed;

    /** What a call produced, counted for JMH. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Produced {
        public long tokens;
        public long sequences;
    }

    @Setup(Level.Trial)
    public void setUp() {
        PolicyConfig config = PolicyConfig.defaults(160);
        policy = VideoPolicy.create(config, Device.cpu(), 1);
        Random random = new Random(2);
        float[] frames = new float[batch * FRAMES * 3 * config.frameSize() * config.frameSize()];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = random.nextFloat();
        }
        int[][] prompts = new int[batch][PROMPT];
        responses = new int[batch][RESPONSE];
        double[][] old = new double[batch][RESPONSE];
        double[][] advantages = new double[batch][RESPONSE];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < PROMPT; t++) {
                prompts[b][t] = 4 + random.nextInt(150);
            }
            prompts[b][PROMPT - 1] = VocabularyTokenizer.BEGIN;
            for (int t = 0; t < RESPONSE; t++) {
                responses[b][t] = 4 + random.nextInt(150);
                old[b][t] = -5;
                advantages[b][t] = random.nextGaussian();
            }
        }
        inputs = new VideoPolicy.Inputs(frames, FRAMES, prompts);
        targets = new VideoPolicy.PolicyTargets(old, null, advantages, 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        policy.close();
    }

    @Benchmark
    public int[][] generate(Produced produced) {
        long[] seeds = new long[batch];
        for (int b = 0; b < batch; b++) {
            seeds[b] = ++seed;
        }
        int[][] tokens = policy.generate(inputs, DecodingConfig.sampling(1.0, 0, 1.0, RESPONSE), seeds, StopRule.NONE).tokens();
        for (int[] row : tokens) {
            produced.tokens += row.length;
        }
        return tokens;
    }

    @Benchmark
    public float[] train(Produced produced) {
        produced.sequences += batch;
        return policy.policyGradient(inputs, responses, targets, ai.videorl.common.loss.PolicyLossConfig.DEFAULTS,
                new BatchShape(batch, (long) batch * RESPONSE, RESPONSE)).values();
    }
}
