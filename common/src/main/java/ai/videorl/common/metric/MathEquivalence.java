package ai.videorl.common.metric;

// TEMPORARY placeholder while helper writes the real class; it overwrites this file.
public final class MathEquivalence {
    private MathEquivalence() {
    }

    public static double score(String predicted, String truth) {
        return predicted.strip().equals(truth.strip()) ? 1 : 0;
    }
}
