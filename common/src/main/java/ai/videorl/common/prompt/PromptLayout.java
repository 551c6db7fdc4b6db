package ai.videorl.common.prompt;

import ai.videorl.common.data.Sample;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.text.VocabularyTokenizer;

import java.util.Arrays;

/**
 * How a sample becomes the policy's prompt: its question, then its options one per line,
 * right-aligned in a slot of {@code length} tokens (padded on the left with
 * {@link VocabularyTokenizer#PAD}) and ending with {@link VocabularyTokenizer#BEGIN}. Every prompt
 * of a run has the same length, so batches need no per-row positions, and the question always
 * ends where the response begins — what a small policy learns best from.
 *
 * <p>The recipe's instructions are not repeated in every prompt: they are the same for every
 * sample, and the template is taught by the SFT warm start and held by the format reward.
 */
public record PromptLayout(int length) {

    public PromptLayout {
        if (length < 2) {
            throw VideoRlException.invalidConfiguration("a prompt needs at least 2 positions, got " + length);
        }
    }

    /** The prompt's text: the question, then each option on its own line. */
    public static String text(Sample sample) {
        StringBuilder text = new StringBuilder(sample.problem());
        for (String option : sample.options()) {
            text.append('\n').append(option);
        }
        return text.toString();
    }

    /** Tokens the prompt of {@code sample} needs, BEGIN included: the smallest layout that holds it. */
    public static int tokensNeeded(Sample sample, VocabularyTokenizer tokenizer) {
        return tokenizer.encode(text(sample)).ids().length + 1;
    }

    /**
     * The prompt's tokens.
     *
     * @throws VideoRlException naming the sample when its prompt does not fit
     */
    public int[] encode(Sample sample, VocabularyTokenizer tokenizer) {
        return encode(text(sample), "sample '" + sample.id() + "'", tokenizer);
    }

    /**
     * The tokens of a prompt given as text.
     *
     * @param source names the prompt in the error when it does not fit
     */
    public int[] encode(String text, String source, VocabularyTokenizer tokenizer) {
        int[] ids = tokenizer.encode(text).ids();
        if (ids.length + 1 > length) {
            throw VideoRlException.invalidInput(source + ": its prompt takes " + (ids.length + 1)
                    + " tokens but the layout holds " + length + " (raise model.max_length or shorten the question)");
        }
        int[] prompt = new int[length];
        Arrays.fill(prompt, VocabularyTokenizer.PAD);
        System.arraycopy(ids, 0, prompt, length - 1 - ids.length, ids.length);
        prompt[length - 1] = VocabularyTokenizer.BEGIN;
        return prompt;
    }
}
