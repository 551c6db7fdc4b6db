package ai.videorl.cluster.train;

import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.data.VideoCacheConfig;
import ai.videorl.cluster.store.SerializableConfiguration;
import ai.videorl.common.prompt.PromptLayout;
import ai.videorl.common.text.VocabularyTokenizer;

import java.io.Serializable;

/**
 * What every executor-side stage needs from the driver, shipped with each task: the run's
 * configuration, its vocabulary and prompt layout, and the Hadoop settings for reading videos.
 * The tokenizer is built once per deserialised copy.
 */
public final class StageContext implements Serializable {

    private final TrainingConfig config;
    private final RunVocabulary vocabulary;
    private final VideoCacheConfig videoCache;
    private final SerializableConfiguration hadoop;
    private transient VocabularyTokenizer tokenizer;

    public StageContext(TrainingConfig config, RunVocabulary vocabulary, VideoCacheConfig videoCache,
                        SerializableConfiguration hadoop) {
        this.config = config;
        this.vocabulary = vocabulary;
        this.videoCache = videoCache;
        this.hadoop = hadoop;
    }

    public TrainingConfig config() {
        return config;
    }

    public RunVocabulary vocabulary() {
        return vocabulary;
    }

    public synchronized VocabularyTokenizer tokenizer() {
        if (tokenizer == null) {
            tokenizer = vocabulary.tokenizer();
        }
        return tokenizer;
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
