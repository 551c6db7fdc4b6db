package ai.videorl.cluster.config;

import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.loss.KlEstimator;
import ai.videorl.common.loss.LossAggregation;
import ai.videorl.common.loss.PolicyLossMode;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingConfigLoaderTest {

    private static TrainingConfig load(String yaml, String... overrides) {
        return TrainingConfigLoader.load(yaml == null ? null : new StringReader(yaml), "run.yaml", List.of(overrides));
    }

    private static void assertRejected(String expected, String yaml, String... overrides) {
        VideoRlException error = assertThrows(VideoRlException.class, () -> load(yaml, overrides));
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }

    @Test
    void everyKeyHasItsDefault() {
        TrainingConfig config = load(null);
        assertEquals("videoauto-r1", config.recipe().name());
        assertEquals(8, config.rollout().groupSize());
        assertEquals(LossAggregation.TOKEN_MEAN, config.grpo().toLoss().aggregation());
        assertEquals(KlEstimator.K3, config.grpo().toLoss().klEstimator());
        assertEquals(32, config.video().toSampling().width());
        assertEquals(Map.of(), config.spark().conf());
    }

    @Test
    void theFileReplacesDefaultsAndOverridesReplaceTheFile() {
        TrainingConfig config = load("""
                recipe:
                  name: video-r2
                grpo:
                  kl_coef: 0.04
                rollout:
                  temperature: 0.9
                  top_k: 50
                spark:
                  conf:
                    spark.executor.memory: 4g
                """, "grpo.kl_coef=0.01", "run.out=s3a://bucket/run", "spark.conf.spark.task.cpus=2");
        assertEquals("video-r2", config.recipe().name());
        assertEquals(0.01, config.grpo().klCoef(), "the command line wins");
        assertEquals(0.9, config.rollout().temperature());
        assertEquals(50, config.rollout().topK());
        assertEquals(8, config.rollout().groupSize(), "untouched keys keep their defaults");
        assertEquals("s3a://bucket/run", config.run().out());
        assertEquals(Map.of("spark.executor.memory", "4g", "spark.task.cpus", "2"), config.spark().conf());
    }

    @Test
    void unknownKeysAreRejectedWithASuggestion() {
        assertRejected("run.yaml: unknown key 'grpo.kl_coeff' (did you mean 'grpo.kl_coef'?)", "grpo:\n  kl_coeff: 0.1\n");
        assertRejected("override rollout.group: unknown key 'rollout.group' (did you mean 'rollout.group_size'?)", null,
                "rollout.group=4");
        assertRejected("unknown key 'trainer'", "trainer:\n  steps: 3\n");
        assertRejected("'grpo' is a section, not a value", "grpo: 3\n");
        assertRejected("is not key=value", null, "grpo.kl_coef");
    }

    @Test
    void badValuesNameTheirKey() {
        assertRejected("rollout.group_size' cannot be abc", null, "rollout.group_size=abc");
        assertRejected("rollout.group_size must be at least 2", null, "rollout.group_size=1");
        assertRejected("video.fps must be positive", null, "video.fps=0");
        assertRejected("rollout.temperature must be >= 0", null, "rollout.temperature=-1");
        assertRejected("unknown advantage estimator 'gae'", null, "grpo.estimator=gae");
        assertRejected("model.architecture: unknown architecture 'llava'; known: [tiny, qwen2_5_vl]", null, "model.architecture=llava");
        assertRejected("unknown loss aggregation 'mean'", null, "grpo.loss_aggregation=mean");
        assertRejected("unknown policy loss 'sequence'", null, "grpo.policy_loss=sequence");
        assertRejected("recipe.overlong_buffer (200) must not exceed rollout.max_new_tokens (128)", null, "recipe.overlong_buffer=200");
        assertRejected("recipe.overlong_penalty must be >= 0", null, "recipe.overlong_penalty=-1");
        assertRejected("optimizer.lr_decay: unknown learning-rate decay 'step'", null, "optimizer.lr_decay=step");
        assertRejected("optimizer.warmup_steps must be >= 0", null, "optimizer.warmup_steps=-1");
        assertRejected("dual_clip must be > 1", null, "grpo.dual_clip=0.5");
        assertRejected("Duplicate field 'kl_coef'", "grpo:\n  kl_coef: 0.1\n  kl_coef: 0.2\n");
        assertRejected("Duplicate field 'grpo'", "grpo:\n  kl_coef: 0.1\ngrpo:\n  clip_low: 0.1\n");
        VideoRlException greedy = assertThrows(VideoRlException.class, () -> load(null, "rollout.temperature=0").rollout()
                .requireVariedRollouts());
        assertTrue(greedy.getMessage().startsWith("rollout.temperature 0 decodes greedily"), greedy.getMessage());
        assertThrows(VideoRlException.class, () -> load(null, "rollout.top_k=1").rollout().requireVariedRollouts());
        load(null, "rollout.temperature=0.9", "rollout.top_k=50").rollout().requireVariedRollouts();
        assertEquals(Double.POSITIVE_INFINITY, load(null, "grpo.dual_clip=0").grpo().toLoss().dualClip(), "0 switches it off");
        assertRejected("policy_loss gspo averages each sequence's tokens, then the sequences: loss_aggregation must be "
                + "seq-mean-token-mean, got token-mean", null, "grpo.policy_loss=gspo");
        assertEquals(PolicyLossMode.GSPO, load(null, "grpo.policy_loss=gspo", "grpo.loss_aggregation=seq-mean-token-mean")
                .grpo().toLoss().mode());
        assertRejected("unknown recipe 'video-r1'", null, "recipe.name=video-r1");
        assertRejected("optimizer.lr must be >= 0", null, "optimizer.lr=-1e-4");
        assertRejected("model.patch_stride must be 1-4 and step evenly across video.frame_size (32), got 3", null, "model.patch_stride=3");
        assertRejected("sft.perception_steps must be >= 0", null, "sft.perception_steps=-1");
        assertRejected("sft.perception_batch_size must be at least 1, got 0", null, "sft.perception_batch_size=0");
        assertRejected("sft.caption_batch_size must be at least 1, got 0", null, "sft.caption_batch_size=0");
        assertRejected("sft.lr_decay: unknown learning-rate decay 'step'; expected none, linear or cosine", null, "sft.lr_decay=step");
        assertRejected("sft.caption_replay' cannot be sometimes", null, "sft.caption_replay=sometimes");
        assertRejected("run.yaml: not valid YAML", "grpo: [unclosed\n");
    }

    @Test
    void theResolvedConfigurationReadsBackToItself() {
        TrainingConfig config = load("recipe:\n  name: videop2r\n", "grpo.clip_high=0.28", "spark.conf.spark.task.cpus=2");
        String yaml = TrainingConfigLoader.toYaml(config);
        assertTrue(yaml.contains("clip_high: 0.28"), yaml);
        assertEquals(config, load(yaml));
    }
}
