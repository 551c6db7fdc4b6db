package ai.videorl.cluster.train;

import ai.djl.Device;
import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.data.SampleRows;
import ai.videorl.cluster.model.PolicyConfig;
import ai.videorl.cluster.model.PolicyWeights;
import ai.videorl.cluster.model.VideoPolicy;
import ai.videorl.cluster.store.CheckpointStore;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.prompt.PromptLayout;
import ai.videorl.common.recipe.Recipes;
import ai.videorl.common.text.VocabularyTokenizer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a run's policy starts: the newest checkpoint and the vocabulary of the run named by
 * {@code model.init}, or a fresh policy (weights drawn from the run seed) with a vocabulary
 * built from the run's own texts.
 *
 * @param vocabulary the tokenizer's pieces and the prompt layout
 * @param weights the initial weights (version 0 for a fresh policy)
 */
public record PolicyStart(RunVocabulary vocabulary, PolicyWeights weights) {

    /** Corpus words seen fewer times than this are spelt with smaller pieces. */
    static final int MINIMUM_WORD_COUNT = 3;
    private static final Logger LOG = LoggerFactory.getLogger(PolicyStart.class);

    /**
     * @param prompts samples whose prompts the policy must read (training and evaluation data)
     * @param responses texts the policy should write well (SFT references), possibly empty
     */
    public static PolicyStart resolve(TrainingConfig config, Dataset<Row> prompts, List<String> responses,
                                      Configuration hadoop) throws IOException {
        String init = config.model().init();
        if (init != null && !init.isBlank()) {
            RunVocabulary vocabulary = RunVocabulary.read(init, hadoop);
            PolicyWeights weights = new CheckpointStore(init, hadoop, 1).latest().orElseThrow("model.init", init).weights();
            requireMatchingVideo(weights.config(), config.video(), init);
            warnOfIgnoredShape(weights.config(), config.model(), init);
            return new PolicyStart(vocabulary, weights.withVersion(0)).requireRoom(config);
        }
        List<String> corpus = new ArrayList<>(responses);
        int longest = 0;
        List<Row> rows = prompts.selectExpr(SampleRows.SCHEMA.fieldNames()).collectAsList();
        for (Row row : rows) {
            corpus.add(PromptLayout.text(SampleRows.fromRow(row)));
        }
        VocabularyTokenizer tokenizer = VocabularyTokenizer.fromCorpus(corpus, Recipes.TEMPLATE_PIECES, MINIMUM_WORD_COUNT);
        for (Row row : rows) {
            longest = Math.max(longest, PromptLayout.tokensNeeded(SampleRows.fromRow(row), tokenizer));
        }
        // Headroom for later runs that start from this one with prompts of the same kind.
        RunVocabulary vocabulary = new RunVocabulary(tokenizer.pieces(), longest + Math.max(2, longest / 4));
        PolicyConfig policyConfig = config.model().toPolicy(tokenizer.size(), config.video());
        try (VideoPolicy policy = VideoPolicy.create(policyConfig, Device.cpu(), config.run().seed())) {
            return new PolicyStart(vocabulary, policy.snapshot(0)).requireRoom(config);
        }
    }

    /** Frames, the prompt and the longest response must fit the policy's positions. */
    private PolicyStart requireRoom(TrainingConfig config) {
        int frameTokens = weights.config().frameTokens(config.video().maxFrames());
        int needed = frameTokens + vocabulary.promptLength() + config.rollout().maxNewTokens();
        if (needed > weights.config().maxLength()) {
            throw VideoRlException.invalidConfiguration(frameTokens + " frame tokens (video.max_frames " + config.video().maxFrames()
                    + " x (model.frame_grid² " + weights.config().cellsPerFrame() + " + model.frame_times " + weights.config().frameTimes()
                    + ")) + prompts of "
                    + vocabulary.promptLength() + " tokens + rollout.max_new_tokens (" + config.rollout().maxNewTokens()
                    + ") need " + needed + " positions, but the policy has model.max_length = " + weights.config().maxLength());
        }
        return this;
    }

    /** The checkpoint's architecture wins over the configuration's model keys: say so when they differ. */
    private static void warnOfIgnoredShape(PolicyConfig policy, TrainingConfig.Model model, String init) {
        List<String> ignored = ignoredModelKeys(policy, model);
        if (!ignored.isEmpty()) {
            LOG.warn("model.init: the policy in {} keeps its own architecture; ignoring {}", init, String.join(", ", ignored));
        }
    }

    /** The configuration's model keys that differ from the policy's, each with both values. */
    static List<String> ignoredModelKeys(PolicyConfig policy, TrainingConfig.Model model) {
        List<String> ignored = new ArrayList<>();
        addIfDifferent(ignored, "model.width", model.width(), policy.width());
        addIfDifferent(ignored, "model.layers", model.layers(), policy.layers());
        addIfDifferent(ignored, "model.heads", model.heads(), policy.heads());
        addIfDifferent(ignored, "model.max_length", model.maxLength(), policy.maxLength());
        addIfDifferent(ignored, "model.patch_stride", model.patchStride(), policy.patchStride());
        addIfDifferent(ignored, "model.frame_grid", model.frameGrid(), policy.frameGrid());
        addIfDifferent(ignored, "model.frame_times", model.frameTimes(), policy.frameTimes());
        return ignored;
    }

    private static void addIfDifferent(List<String> ignored, String key, int configured, int actual) {
        if (configured != actual) {
            ignored.add(key + " = " + configured + " (the checkpoint's is " + actual + ")");
        }
    }

    private static void requireMatchingVideo(PolicyConfig policy, TrainingConfig.Video video, String init) {
        if (policy.frameSize() != video.frameSize() || policy.maxFrames() < video.maxFrames()) {
            throw VideoRlException.invalidConfiguration("model.init: the policy in " + init + " sees " + policy.maxFrames()
                    + " frames of " + policy.frameSize() + " px, but video.frame_size is " + video.frameSize()
                    + " and video.max_frames " + video.maxFrames());
        }
    }
}
