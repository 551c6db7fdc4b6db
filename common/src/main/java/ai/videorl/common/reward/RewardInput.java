package ai.videorl.common.reward;

import ai.videorl.common.data.Sample;
import ai.videorl.common.text.TokenOffsets;
import ai.videorl.common.text.Tokenizer;

import java.util.Objects;

/**
 * One rollout as the reward terms see it: the sample, the completion, the recipe's parse of it
 * (done once, shared by every term) and its tokens (computed only if a term asks).
 *
 * @param <P> the recipe's parsed-completion type
 */
public final class RewardInput<P> {

    private final Sample sample;
    private final String completion;
    private final P parsed;
    private final Tokenizer tokenizer;
    private TokenOffsets tokens;

    /** @param tokens the completion's token offsets when known, else null to tokenize on demand */
    public RewardInput(Sample sample, String completion, P parsed, TokenOffsets tokens, Tokenizer tokenizer) {
        this.sample = Objects.requireNonNull(sample, "sample");
        this.completion = Objects.requireNonNull(completion, "completion");
        this.parsed = Objects.requireNonNull(parsed, "parsed");
        this.tokens = tokens;
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    }

    public Sample sample() {
        return sample;
    }

    public String completion() {
        return completion;
    }

    public P parsed() {
        return parsed;
    }

    /** The completion's tokens: as given, or from the tokenizer on first use. Not thread-safe. */
    public TokenOffsets tokens() {
        if (tokens == null) {
            tokens = tokenizer.tokenize(completion);
        }
        return tokens;
    }
}
