package ai.videorl.cluster.train;

import ai.videorl.cluster.LocalSpark;
import ai.videorl.cluster.config.TrainingConfigLoader;
import ai.videorl.cluster.model.qwen.QwenFixtures;
import ai.videorl.cluster.synth.SynthOptions;
import ai.videorl.cluster.synth.SynthWriter;
import ai.videorl.common.synth.VideoFormat;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GRPO with LoRA learns on a pretrained Qwen2.5-VL, and only through its updates: on the learner
 * base ({@code generate_learner.py}), whose responses end at a rate adapters can change, the only
 * reward is DAPO's length shaping over the whole response (shorter scores higher), which no fixed
 * policy can raise. Over twelve iterations the updates raise the second half's mean reward far above
 * that of the same run at learning rate 0 (the same prompts and seeds, no update), whose second
 * half stays within the rollouts' noise of its first.
 */
class QwenLearningSparkIT {

    private static final int ITERATIONS = 12;
    /**
     * What the updates must gain over the frozen run (they gained 0.2 when this test was written), and
     * what bounds the frozen run's drift between its halves (the rollouts' noise: a few hundredths).
     */
    private static final double MARGIN = 0.15;
    private static final double DRIFT = 0.1;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;
    private static Path base;
    private static Path data;

    @BeforeAll
    static void data() throws Exception {
        base = QwenFixtures.learnerCheckpoint(directory.resolve("base"));
        data = directory.resolve("synth");
        SynthWriter.write(new SynthOptions(data.toString(), 2, 13, VideoFormat.DEFAULT, 2));
    }

    /** The mean reward of each iteration of a run at learning rate {@code lr}. */
    private static double[] rewards(String name, double lr) throws Exception {
        Path out = directory.resolve(name);
        new GrpoTrainer(LocalSpark.session(), TrainingConfigLoader.load(null, "test", List.of(
                "model.architecture=qwen2_5_vl", "model.path=" + base, "model.lora.rank=4", "model.lora.alpha=8",
                "data.train=" + data.resolve(SynthWriter.MANIFEST), "run.out=" + out, "run.iterations=" + ITERATIONS,
                "run.checkpoint_every=" + ITERATIONS, "data.prompts_per_step=4", "rollout.group_size=4", "rollout.max_new_tokens=16",
                "rollout.partitions=2", "recipe.overlong_buffer=16", "recipe.overlong_penalty=1", "video.frame_size=56",
                "video.max_frames=4", "grpo.kl_coef=0", "optimizer.lr=" + lr, "optimizer.weight_decay=0")), System.out::println)
                .train(false);
        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertEquals(ITERATIONS, lines.size());
        double[] rewards = new double[ITERATIONS];
        for (int i = 0; i < ITERATIONS; i++) {
            rewards[i] = JSON.readTree(lines.get(i)).get("critic/score/mean").asDouble();
        }
        return rewards;
    }

    /** The mean of iterations {@code from} (inclusive) to {@code to} (exclusive). */
    private static double mean(double[] rewards, int from, int to) {
        return java.util.Arrays.stream(rewards, from, to).average().orElseThrow();
    }

    @Test
    void theMeanRewardRisesWithUpdatesAndStaysFlatWithout() throws Exception {
        double[] learning = rewards("learning", 2e-2);
        double[] frozen = rewards("frozen", 0);
        String both = "lr 2e-2: " + java.util.Arrays.toString(learning) + "\nlr 0: " + java.util.Arrays.toString(frozen);
        System.out.println(both);
        assertEquals(frozen[0], learning[0], 1e-12, "the first iteration's rollouts come from the same base\n" + both);
        int half = ITERATIONS / 2;
        // Same prompts and seeds in both runs: the difference is the updates'.
        assertTrue(mean(learning, half, ITERATIONS) - mean(frozen, half, ITERATIONS) > MARGIN, "the updates raise the reward\n" + both);
        assertTrue(Math.abs(mean(frozen, half, ITERATIONS) - mean(frozen, 0, half)) < DRIFT,
                "without updates the reward stays flat\n" + both);
    }
}
