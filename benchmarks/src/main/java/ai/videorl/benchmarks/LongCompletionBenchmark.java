package ai.videorl.benchmarks;

import ai.videorl.common.data.Sample;
import ai.videorl.common.reward.RewardTable;
import ai.videorl.common.reward.RewardTerms;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Average time to parse and score one 1 MB (2^20 characters) completion, well formed or
 * adversarial (see {@link Completions#longCompletion}), against a free-form sample (ROUGE, the
 * costliest metric). Milliseconds per MB for every shape, and twice that at
 * {@code -p chars=2097152}, show the parsers and metrics are linear; a quadratic path would take
 * minutes. Each operation builds a fresh input, so tokens are never cached between operations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LongCompletionBenchmark {

    static final int CHARS = 1 << 20;

    /** The completion's length; run {@code -p chars=2097152} to check that the time doubles. */
    @Param({"1048576"})
    public int chars;

    @Param({"videoauto-r1", "video-r2", "videop2r"})
    public String recipe;

    @Param({Completions.WELL_FORMED, Completions.OPEN_BOXES, Completions.OPEN_TAGS, Completions.TAG_SOUP,
        Completions.HUGE_ANSWER})
    public String shape;

    private RecipeScorer<?> scorer;
    private Sample sample;
    private String completion;

    @Setup
    public void setUp() {
        scorer = RecipeScorer.forName(recipe);
        sample = Completions.longSample();
        completion = Completions.longCompletion(recipe, shape, chars, 7);
    }

    @Benchmark
    public void score(Blackhole blackhole) {
        RewardTable table = scorer.scoreOne(sample, completion);
        blackhole.consume(table.column(RewardTerms.TOTAL));
    }
}
