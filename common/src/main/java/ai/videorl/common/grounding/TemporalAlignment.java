package ai.videorl.common.grounding;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Video-R2's temporal alignment reward (TAR): how many of the reasoning's timestamped claims
 * match a ground-truth claim. Both sides are ordered by their claims' midpoints (ties in the
 * order given), as the reference orders them. Predicted claims are walked in that order; a
 * ground-truth claim is a candidate when the two spans overlap after widening each by {@code buffer} seconds; among
 * the unused candidates the one whose sentence is most similar (cosine of embeddings) is taken
 * if that similarity reaches {@code threshold}; each ground-truth claim matches at most once.
 *
 * <p>The paper's score is precision, {@code matches / predicted claims}, so one correct claim
 * scores 1.0; {@link Score#F1} also counts the ground-truth claims left unmatched. Either side
 * empty scores 0.
 *
 * @param buffer seconds each span is widened by (2 in the paper)
 * @param threshold minimum sentence similarity of a match (0.75 in the paper)
 * @param score precision (the paper) or F1
 */
public record TemporalAlignment(double buffer, double threshold, Score score) {

    public static final TemporalAlignment PAPER = new TemporalAlignment(2, 0.75, Score.PRECISION);

    /** What the matches are divided by. */
    public enum Score { PRECISION, F1 }

    public TemporalAlignment {
        if (!(buffer >= 0) || !(threshold >= -1 && threshold <= 1)) {
            throw new IllegalArgumentException("buffer must be >= 0 and threshold in [-1, 1], got " + buffer + ", " + threshold);
        }
        Objects.requireNonNull(score, "score");
    }

    /** The outcome for one rollout. */
    public record Result(int matches, int predicted, int truth, double value) {
    }

    public Result evaluate(List<TimestampClaim> predicted, List<TimestampClaim> truth, Embedder embedder) {
        if (predicted.isEmpty() || truth.isEmpty()) {
            return new Result(0, predicted.size(), truth.size(), 0);
        }
        List<TimestampClaim> ordered = byMidpoint(predicted);
        truth = byMidpoint(truth);
        List<String> sentences = new ArrayList<>();
        ordered.forEach(claim -> sentences.add(claim.sentence()));
        truth.forEach(claim -> sentences.add(claim.sentence()));
        float[][] vectors = embedder.embed(sentences);
        boolean[] used = new boolean[truth.size()];
        int matches = 0;
        for (int p = 0; p < ordered.size(); p++) {
            int best = -1;
            double bestSimilarity = threshold;
            for (int t = 0; t < truth.size(); t++) {
                if (used[t] || !ordered.get(p).overlaps(truth.get(t), buffer)) {
                    continue;
                }
                double similarity = Embedder.cosine(vectors[p], vectors[ordered.size() + t]);
                if (similarity >= bestSimilarity && (best < 0 || similarity > bestSimilarity)) {
                    best = t;
                    bestSimilarity = similarity;
                }
            }
            if (best >= 0) {
                used[best] = true;
                matches++;
            }
        }
        double precision = (double) matches / predicted.size();
        double recall = (double) matches / truth.size();
        double value = switch (score) {
            case PRECISION -> precision;
            case F1 -> matches == 0 ? 0 : 2 * precision * recall / (precision + recall);
        };
        return new Result(matches, predicted.size(), truth.size(), value);
    }

    /** The claims ordered by their midpoint, ties kept in their order: as the reference sorts both sides. */
    private static List<TimestampClaim> byMidpoint(List<TimestampClaim> claims) {
        List<TimestampClaim> ordered = new ArrayList<>(claims);
        ordered.sort(TimestampClaim.BY_MIDPOINT);
        return ordered;
    }
}
