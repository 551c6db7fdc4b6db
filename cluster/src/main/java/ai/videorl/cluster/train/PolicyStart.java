package ai.videorl.cluster.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.data.SampleRows;
import ai.videorl.cluster.model.AdapterSpec;
import ai.videorl.cluster.model.FullModelSpec;
import ai.videorl.cluster.model.PolicyArchitecture;
import ai.videorl.cluster.model.PolicyConfig;
import ai.videorl.cluster.model.PolicySpec;
import ai.videorl.cluster.model.PolicyWeights;
import ai.videorl.cluster.model.PretrainedSpec;
import ai.videorl.cluster.model.VideoPolicy;
import ai.videorl.cluster.model.hf.BaseChecksum;
import ai.videorl.cluster.model.hf.CheckpointDirectories;
import ai.videorl.cluster.model.qwen.LoraAdapters;
import ai.videorl.cluster.model.qwen.Qwen25VlConfig;
import ai.videorl.cluster.model.qwen.QwenPolicy;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a run's policy starts: the newest checkpoint (and a tiny policy's vocabulary) of the run
 * named by {@code model.init}; else, for the tiny architecture, a fresh policy (weights drawn from
 * the run seed) with a vocabulary built from the run's own texts, and for a pretrained one, fresh
 * LoRA adapters ({@code model.lora.*}) over the checkpoint {@code model.path} names, or with
 * {@code model.finetune: full} that checkpoint's own weights.
 *
 * @param vocabulary the tiny policy's tokenizer pieces and prompt layout; null for a pretrained policy (its tokenizer is the checkpoint's)
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
        if (config.model().policyArchitecture() != PolicyArchitecture.TINY) {
            return pretrained(config, hadoop);
        }
        String init = config.model().init();
        if (init != null && !init.isBlank()) {
            RunVocabulary vocabulary = RunVocabulary.read(init, hadoop);
            PolicyWeights weights = new CheckpointStore(init, hadoop, 1).latest().orElseThrow("model.init", init).weights();
            requireMatchingVideo(weights.tiny(), config.video(), init);
            warnOfIgnoredShape(weights.tiny(), config.model(), init);
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

    /**
     * A policy over {@code model.path}: model.init's weights (trained from the same base: the
     * checksums must agree), else with {@code model.finetune: full} the base's own weights, else
     * fresh LoRA adapters from the run seed, which leave the base's outputs unchanged.
     */
    private static PolicyStart pretrained(TrainingConfig config, Configuration hadoop) throws IOException {
        TrainingConfig.Model model = config.model();
        Path base = CheckpointDirectories.local(model.path(), CheckpointDirectories.executorCache(), hadoop);
        long checksum = BaseChecksum.of(base);
        String init = model.init();
        if (init != null && !init.isBlank()) {
            return new PolicyStart(null, trainedFrom(init, model, checksum, hadoop));
        }
        if (model.fullFinetune()) {
            FullModelSpec spec = new FullModelSpec(model.policyArchitecture(), model.path(), checksum);
            try (QwenPolicy policy = QwenPolicy.load(base, Device.cpu(), spec.dtype())) {
                return new PolicyStart(null, PolicyWeights.of(spec, policy.trainableWeights(0)));
            }
        }
        TrainingConfig.Lora lora = model.lora();
        Qwen25VlConfig shape = Qwen25VlConfig.read(base.resolve("config.json"));
        List<String> modules = LoraAdapters.targetModules(shape, lora.targetList());
        AdapterSpec spec = new AdapterSpec(model.policyArchitecture(), model.path(), checksum, model.modelDtype(), lora.rank(),
                lora.alpha(), lora.dropout());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            LoraAdapters adapters = LoraAdapters.fresh(shape, modules, lora.rank(), lora.alpha(), config.run().seed(), manager);
            return new PolicyStart(null, PolicyWeights.of(spec, adapters.trainableWeights(0)));
        }
    }

    /** The newest weights of the run {@code init}, which must have trained what {@code model.finetune} trains on this base. */
    private static PolicyWeights trainedFrom(String init, TrainingConfig.Model model, long checksum, Configuration hadoop)
            throws IOException {
        PolicyWeights weights = new CheckpointStore(init, hadoop, 1).latest().orElseThrow("model.init", init).weights();
        String wanted = model.fullFinetune() ? "every weight" : "LoRA adapters";
        if (!(weights.spec() instanceof PretrainedSpec trained) || trained.architecture() != model.policyArchitecture()
                || trained instanceof FullModelSpec != model.fullFinetune()) {
            throw VideoRlException.invalidConfiguration("model.init: " + init + " holds " + describe(weights.spec())
                    + ", but model.finetune " + model.finetune() + " trains " + wanted + " of " + model.architecture());
        }
        trained.requireBase(checksum, "model.path " + model.path());
        PolicySpec spec = trained instanceof AdapterSpec adapters ? continued(adapters, init, model, checksum)
                : new FullModelSpec(trained.architecture(), model.path(), checksum);
        return new PolicyWeights(0, spec, weights.names(), weights.shapes(), weights.values());
    }

    /** model.init's adapters on this run's base copy: their rank and alpha, this run's dtype and dropout. */
    private static AdapterSpec continued(AdapterSpec adapters, String init, TrainingConfig.Model model, long checksum) {
        TrainingConfig.Lora lora = model.lora();
        if (adapters.rank() != lora.rank() || adapters.alpha() != lora.alpha()) {
            LOG.warn("model.init: the adapters in {} keep their rank {} and alpha {}; ignoring model.lora's", init, adapters.rank(),
                    adapters.alpha());
        }
        return new AdapterSpec(adapters.architecture(), model.path(), checksum, model.modelDtype(), adapters.rank(), adapters.alpha(),
                lora.dropout());
    }

    private static String describe(PolicySpec spec) {
        if (spec instanceof AdapterSpec) {
            return spec.architecture() + " LoRA adapters";
        }
        return spec instanceof FullModelSpec ? "every weight of a " + spec.architecture()
                : "the " + spec.architecture() + " policy's weights";
    }

    /** Frames, the prompt and the longest response must fit the policy's positions. */
    private PolicyStart requireRoom(TrainingConfig config) {
        int frameTokens = weights.tiny().frameTokens(config.video().maxFrames());
        int needed = frameTokens + vocabulary.promptLength() + config.rollout().maxNewTokens();
        if (needed > weights.tiny().maxLength()) {
            throw VideoRlException.invalidConfiguration(frameTokens + " frame tokens (video.max_frames " + config.video().maxFrames()
                    + " x (model.frame_grid² " + weights.tiny().cellsPerFrame() + " + model.frame_times " + weights.tiny().frameTimes()
                    + ")) + prompts of "
                    + vocabulary.promptLength() + " tokens + rollout.max_new_tokens (" + config.rollout().maxNewTokens()
                    + ") need " + needed + " positions, but the policy has model.max_length = " + weights.tiny().maxLength());
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
