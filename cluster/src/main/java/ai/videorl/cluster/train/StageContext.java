package ai.videorl.cluster.train;

import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.data.VideoCacheConfig;
import ai.videorl.cluster.model.PolicyProcessor;
import ai.videorl.cluster.model.TinyProcessor;
import ai.videorl.cluster.store.SerializableConfiguration;
import ai.videorl.common.prompt.PromptLayout;

import java.io.Serializable;

/**
 * What every executor-side stage needs from the driver, shipped with each task: the run's
 * configuration, its vocabulary and prompt layout, how many characters of each frame's time its
 * policy reads, and the Hadoop settings for reading videos. The {@link PolicyProcessor} is built
 * once per deserialised copy.
 */
public final class StageContext implements Serializable {

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
                case QWEN2_5_VL -> throw new IllegalStateException("the stages run the tiny architecture only ("
                        + "RunInputs refuses model.architecture " + config.model().architecture() + " before a run starts)");
            };
        }
        return processor;
    }

    /** Characters of each frame's time the policy reads. */
    public int frameTimes() {
        return frameTimes;
    }

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
