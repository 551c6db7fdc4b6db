package ai.videorl.benchmarks;

import ai.videorl.common.data.Sample;
import ai.videorl.common.reward.RewardTable;
import ai.videorl.common.reward.RewardTerms;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Reward scoring throughput on short completions: one operation is one completion parsed and
 * scored by every term of its recipe. Each invocation parses and scores the next
 * {@value #BATCH} completions of a seeded pool of {@value #POOL} (cycling), as one batch through
 * {@code RewardScorer}, the way {@code JsonlScorer} and the trainer do. With one thread (the
 * default of {@code bin/bench}) the score is completions per second per core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RewardScoringBenchmark {

    static final int BATCH = 256;
    static final int POOL = 4096;
    static final long SEED = 20240611L;

    @Param({"videoauto-r1", "video-r2", "videop2r"})
    public String recipe;

    private RecipeScorer<?> scorer;
    private Sample[] samples;
    private String[] completions;
    private int next;

    @Setup
    public void setUp() {
        scorer = RecipeScorer.forName(recipe);
        Completions.Pool pool = Completions.shortPool(recipe, POOL, SEED);
        samples = pool.samples();
        completions = pool.completions();
        next = 0;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void score(Blackhole blackhole) {
        RewardTable table = scorer.score(samples, completions, next, BATCH);
        next = (next + BATCH) % POOL;
        blackhole.consume(table.column(RewardTerms.TOTAL));
    }
}
