package ai.videorl.cluster.model;

import ai.videorl.common.data.Sample;
import ai.videorl.common.text.TokenOffsets;
import ai.videorl.common.text.Tokenizer;

import java.util.List;
import java.util.function.Function;

/**
 * An architecture's text and video side: samples and their videos into a policy's inputs, its
 * tokens back into text. As a {@link Tokenizer} it splits a completion the way the policy writes
 * it, which the rewards' token spans follow.
 */
public interface PolicyProcessor extends Tokenizer {

    /**
     * One batch the policy takes.
     *
     * @param rows indices into the samples the batches were made of, in the order of the inputs' prompts
     * @param inputs their prompts and videos
     */
    record Batch(int[] rows, PolicyInputs inputs) {
    }

    /**
     * {@code samples} as batches of at most {@code maxRows} prompts. Samples keep their order within
     * a batch, so the same samples always make the same batches; consecutive samples equal in
     * {@code sharedBy} (a group's rollouts, a video's questions) have their video encoded once.
     */
    List<Batch> batches(List<Sample> samples, int maxRows, Function<Sample, String> sharedBy);

    /** The text of generated or reference tokens, as the rewards read it. */
    String decode(int[] ids);

    /** Where each of {@code ids}' tokens lies in {@link #decode}'s text. */
    TokenOffsets offsets(int[] ids);

    /** The id of a piece the recipes write as one token (such as {@code <think>}), or -1 when there is none. */
    int tokenId(String piece);

    /** What the policy learns from a generated response: its tokens with the end it chose, never empty. */
    int[] responseTargets(int[] generated, boolean finished);

    /** What the policy learns to write for a reference response (SFT): its tokens and the end token. */
    int[] referenceTargets(String reference);
}
