package ai.videorl.cluster.train;

import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.data.VideoCacheConfig;
import ai.videorl.cluster.model.PolicyConfig;
import ai.videorl.cluster.model.PolicyProcessor;
import ai.videorl.cluster.model.PolicySpec;
import ai.videorl.cluster.model.TinyProcessor;
import ai.videorl.cluster.model.hf.CheckpointDirectories;
import ai.videorl.cluster.model.qwen.QwenPolicyProcessor;
import ai.videorl.cluster.model.qwen.QwenProcessor;
import ai.videorl.cluster.model.qwen.QwenVideoOptions;
import ai.videorl.cluster.store.SerializableConfiguration;
import ai.videorl.cluster.video.LocalVideoFiles;
import ai.videorl.common.prompt.PromptLayout;
import ai.videorl.common.recipe.Recipes;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every executor-side stage needs from the driver, shipped with each task: the run's
 * configuration, a tiny policy's vocabulary and prompt layout and how many characters of each
 * frame's time it reads, and the Hadoop settings for reading videos. The {@link PolicyProcessor}
 * is built once per deserialised copy; a pretrained checkpoint's tokenizer and templates are read
 * once per JVM.
 */
public final class StageContext implements Serializable {

    /** Pretrained checkpoints' processors by {@code model.path}: a tokenizer is large and immutable. */
    private static final Map<String, QwenProcessor> QWEN_PROCESSORS = new ConcurrentHashMap<>();

    private final TrainingConfig config;
    private final RunVocabulary vocabulary;
    private final int frameTimes;
    private final VideoCacheConfig videoCache;
    private final SerializableConfiguration hadoop;
    private transient PolicyProcessor processor;

    /** @param frameTimes the policy's {@code model.frame_times} (its weights', which a run started from another keeps) */
    public StageContext(TrainingConfig config, RunVocabulary vocabulary, int frameTimes, VideoCacheConfig videoCache,
                        SerializableConfiguration hadoop) {
        this.config = config;
        this.vocabulary = vocabulary;
        this.frameTimes = frameTimes;
        this.videoCache = videoCache;
        this.hadoop = hadoop;
    }

    /** The context of a run whose policy {@code spec} describes ({@code vocabulary} null unless it is the tiny one). */
    public static StageContext forPolicy(TrainingConfig config, RunVocabulary vocabulary, PolicySpec spec, VideoCacheConfig videoCache,
                                         SerializableConfiguration hadoop) {
        return new StageContext(config, vocabulary, spec instanceof PolicyConfig tiny ? tiny.frameTimes() : 0, videoCache, hadoop);
    }

    public TrainingConfig config() {
        return config;
    }

    public RunVocabulary vocabulary() {
        return vocabulary;
    }

    /** The policy's processor: prompts and frames into its inputs, its tokens back into text. */
    public synchronized PolicyProcessor processor() {
        if (processor == null) {
            processor = switch (config.model().policyArchitecture()) {
                case TINY -> new TinyProcessor(vocabulary.tokenizer(), layout(), frameTimes,
                        video -> FrameCache.frames(video, config.video().toSampling(), videoCache, hadoop.get()));
                case QWEN2_5_VL -> {
                    LocalVideoFiles videos = new LocalVideoFiles(Path.of(videoCache.directory()), videoCache.maxBytes(), hadoop.get());
                    QwenProcessor checkpoint = qwenProcessor();
                    yield new QwenPolicyProcessor(checkpoint, null, Recipes.create(config.recipe().name()).instructions(),
                            videoOptions(config.video(), checkpoint.defaultVideoMinPixels()), videos::localFile);
                }
            };
        }
        return processor;
    }

    private QwenProcessor qwenProcessor() {
        return QWEN_PROCESSORS.computeIfAbsent(config.model().path(), location -> QwenProcessor.load(
                CheckpointDirectories.local(location, CheckpointDirectories.executorCache(), hadoop.get())));
    }

    /**
     * The recipe's frames: {@code video.fps}, between {@code video.min_frames} and
     * {@code video.max_frames}, at most {@code video.frame_size}² pixels each (Qwen's resize keeps
     * the aspect ratio and rounds to its merged patches); smaller videos are scaled up to
     * {@code defaultMinPixels} (qwen-vl-utils' 128 merged patches a frame), or to that bound when it is lower.
     */
    static QwenVideoOptions videoOptions(TrainingConfig.Video video, int defaultMinPixels) {
        int maxPixels = video.frameSize() * video.frameSize();
        return QwenVideoOptions.defaults().withFps(video.fps()).withMinFrames(video.minFrames()).withMaxFrames(video.maxFrames())
                .withMinPixels(Math.min(defaultMinPixels, maxPixels)).withMaxPixels(maxPixels);
    }

    /** Tokens of a prompt when every prompt has the same (the tiny policy's layout), else 0. */
    public int promptTokens() {
        return vocabulary == null ? 0 : vocabulary.promptLength();
    }

    /** Characters of each frame's time the policy reads. */
    public int frameTimes() {
        return frameTimes;
    }

    /** The tiny policy's prompt layout. */
    public PromptLayout layout() {
        return vocabulary.layout();
    }

    public VideoCacheConfig videoCache() {
        return videoCache;
    }

    public SerializableConfiguration hadoop() {
        return hadoop;
    }
}
