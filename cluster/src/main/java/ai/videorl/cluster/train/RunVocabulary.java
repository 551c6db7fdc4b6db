package ai.videorl.cluster.train;

import ai.videorl.cluster.model.PolicyConfig;
import ai.videorl.cluster.model.PolicySpec;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.prompt.PromptLayout;
import ai.videorl.common.text.VocabularyTokenizer;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;

/**
 * What a policy's token ids mean and where its prompts sit: the vocabulary's pieces and the prompt
 * layout's length. Both are fixed when a run starts from scratch and travel with every run that
 * starts from it ({@code model.init}): the policy's learned positions hold only for the layout it
 * was trained with.
 *
 * @param pieces the vocabulary, by id
 * @param promptLength tokens of every prompt, BEGIN included
 */
public record RunVocabulary(@JsonProperty("pieces") List<String> pieces, @JsonProperty("prompt_length") int promptLength)
        implements Serializable {

    public RunVocabulary {
        pieces = List.copyOf(pieces);
        new PromptLayout(promptLength);
    }

    public VocabularyTokenizer tokenizer() {
        return new VocabularyTokenizer(pieces);
    }

    public PromptLayout layout() {
        return new PromptLayout(promptLength);
    }

    public void write(String runDirectory, Configuration hadoop) throws IOException {
        RunFiles.writeJson(RunFiles.child(runDirectory, RunFiles.VOCABULARY), this, hadoop);
    }

    /**
     * The vocabulary of the run in {@code runDirectory}, whose policy {@code spec} describes: the tiny
     * policy's, or null for a pretrained one (its tokenizer is its checkpoint's).
     */
    public static RunVocabulary forPolicy(PolicySpec spec, String runDirectory, Configuration hadoop) throws IOException {
        return spec instanceof PolicyConfig ? read(runDirectory, hadoop) : null;
    }

    /** The vocabulary of the run in {@code runDirectory}. */
    public static RunVocabulary read(String runDirectory, Configuration hadoop) throws IOException {
        String location = RunFiles.child(runDirectory, RunFiles.VOCABULARY);
        if (!RunFiles.exists(location, hadoop)) {
            throw VideoRlException.invalidConfiguration(runDirectory + " is not a run directory: it has no " + RunFiles.VOCABULARY);
        }
        return RunFiles.readJson(location, RunVocabulary.class, hadoop);
    }
}
