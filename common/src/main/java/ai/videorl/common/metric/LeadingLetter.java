package ai.videorl.common.metric;

import ai.videorl.common.text.PythonText;

/**
 * Video-R2's multiple-choice match, as its reference normalises both sides: a stripped answer
 * whose first character is a letter A–E (either case) stands for that letter, upper-cased;
 * anything else stands for itself. So "B", "b", "B." and "B) blue" choose B, and so does
 * "Banana"; "(B)" is not B.
 */
public final class LeadingLetter {

    private LeadingLetter() {
    }

    /** 1 when both sides normalise alike, else 0. */
    public static double score(String predicted, String truth) {
        return normalize(predicted).equals(normalize(truth)) ? 1 : 0;
    }

    static String normalize(String answer) {
        String s = PythonText.strip(answer);
        if (!s.isEmpty()) {
            char c = Character.toUpperCase(s.charAt(0));
            if (c >= 'A' && c <= 'E' && s.charAt(0) < 0x80) {
                return String.valueOf(c);
            }
        }
        return s;
    }
}
