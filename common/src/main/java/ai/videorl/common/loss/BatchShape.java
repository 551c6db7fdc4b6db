package ai.videorl.common.loss;

import java.util.List;

/**
 * The size of the WHOLE update batch, across every executor: what loss aggregation divides by.
 * Each executor weights its own tokens with it, so the shards' losses and gradients add up to
 * exactly the loss of the whole batch.
 *
 * @param sequences responses in the batch
 * @param tokens response tokens in the batch
 * @param maxResponseLength the configured maximum response length (the constant Dr. GRPO divides by)
 */
public record BatchShape(int sequences, long tokens, int maxResponseLength) implements java.io.Serializable {

    public BatchShape {
        if (sequences < 0 || tokens < 0 || maxResponseLength < 1) {
            throw new IllegalArgumentException("bad batch shape: " + sequences + " sequences, " + tokens
                    + " tokens, max length " + maxResponseLength);
        }
    }

    /** The shape of a batch held in one place. */
    public static BatchShape of(List<SequenceTerms> batch, int maxResponseLength) {
        long tokens = 0;
        for (SequenceTerms sequence : batch) {
            tokens += sequence.length();
        }
        return new BatchShape(batch.size(), tokens, maxResponseLength);
    }
}
