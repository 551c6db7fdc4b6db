package ai.videorl.common.metric;

import ai.videorl.common.text.PythonText;

/**
 * Word error rate as the recipes' reference OCR reward computes it (its own, not jiwer's):
 * word-level Levenshtein distance divided by the number of reference words (at least 1), words
 * split as Python's {@code str.split()} splits them and compared case-sensitively. OCR accuracy
 * is {@code 1 − WER} clipped to [0, 1].
 */
public final class WordErrorRate {

    private WordErrorRate() {
    }

    /** {@code 1 − WER(truth, predicted)} clipped to [0, 1]. */
    public static double accuracy(String predicted, String truth) {
        String[] reference = words(truth);
        String[] hypothesis = words(predicted);
        if (reference.length == 0) {
            return hypothesis.length == 0 ? 1 : 0;
        }
        double wer = (double) distance(reference, hypothesis) / reference.length;
        return Math.max(0, 1 - wer);
    }

    /** Edit distance over words, in two rows of memory. */
    static int distance(String[] reference, String[] hypothesis) {
        int[] previous = new int[hypothesis.length + 1];
        int[] current = new int[hypothesis.length + 1];
        for (int j = 0; j <= hypothesis.length; j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= reference.length; i++) {
            current[0] = i;
            for (int j = 1; j <= hypothesis.length; j++) {
                int substitution = previous[j - 1] + (reference[i - 1].equals(hypothesis[j - 1]) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[hypothesis.length];
    }

    static String[] words(String text) {
        return PythonText.split(text).toArray(String[]::new);
    }
}
