package ai.videorl.common.metric;

import ai.videorl.common.text.PythonText;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * VideoAuto-R1's {@code exact_match} (its {@code mc_grader}): equality after normalisation. The
 * rules, applied in order to the NFKC-normalised, stripped, lower-cased text:
 * <ol>
 *   <li>an option letter becomes the letter: in any pair of brackets of {@code ( [ {} and
 *       {@code ) ] }}, spaces allowed inside ("(A)", "( a )", "(a]", "{B}"), optionally followed by
 *       one of {@code ) / : ; -}; or bare, alone or followed by one of those ("a", "a )", "b:");
 *       "A." and "A. text" stay as they are (so "A." does not equal "A");</li>
 *   <li>a whole-string yes/no variant, once surrounding non-word characters are stripped, becomes
 *       "yes" (yes, y, true, t, ok, okay) or "no" (no, n, false, f) — rule 1 runs first, so a
 *       bare "y" is the letter y, as in the reference;</li>
 *   <li>anything else: whitespace runs collapse to one space.</li>
 * </ol>
 * Whitespace is Python's ({@link PythonText}), as the reference's regular expressions read it.
 */
public final class ExactMatch {

    private static final Set<String> YES = Set.of("yes", "y", "true", "t", "ok", "okay");
    private static final Set<String> NO = Set.of("no", "n", "false", "f");
    private static final String OPENING = "([{";
    private static final String CLOSING = ")]}";
    private static final String DELIMITERS = ")/:;-";

    private ExactMatch() {
    }

    /** 1 when the normalised strings are equal, else 0. */
    public static double score(String predicted, String truth) {
        return normalize(predicted).equals(normalize(truth)) ? 1 : 0;
    }

    public static String normalize(String text) {
        String s = isAscii(text) ? text : Normalizer.normalize(text, Normalizer.Form.NFKC);
        s = PythonText.strip(s).toLowerCase(Locale.ROOT);
        String letter = optionLetter(s);
        if (letter != null) {
            return letter;
        }
        String word = stripNonWord(s);
        if (YES.contains(word)) {
            return "yes";
        }
        if (NO.contains(word)) {
            return "no";
        }
        return collapseWhitespace(s);
    }

    /**
     * The letter of a whole-string option letter, or null: the reference's patterns
     * {@code \s*[([{]\s*([A-Za-z])\s*[)\]}]\s*(?:[)/:;-]\s*)?} and
     * {@code \s*([A-Za-z])\s*(?:[)/:;-]\s*)?}, matched whole ("(a)", "( a )", "{b}", "a )", "c:").
     */
    private static String optionLetter(String s) {
        int n = s.length();
        int i = PythonText.skipSpace(s, 0, n);
        boolean bracketed = i < n && OPENING.indexOf(s.charAt(i)) >= 0;
        if (bracketed) {
            i = PythonText.skipSpace(s, i + 1, n);
        }
        if (i >= n || !isAsciiLetter(s.charAt(i))) {
            return null;
        }
        char letter = s.charAt(i);
        i = PythonText.skipSpace(s, i + 1, n);
        if (bracketed) {
            if (i >= n || CLOSING.indexOf(s.charAt(i)) < 0) {
                return null;
            }
            i = PythonText.skipSpace(s, i + 1, n);
        }
        if (i < n && DELIMITERS.indexOf(s.charAt(i)) >= 0) {
            i = PythonText.skipSpace(s, i + 1, n);
        }
        return i == n ? String.valueOf(letter) : null;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static String stripNonWord(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && !isWordChar(s.charAt(start))) {
            start++;
        }
        while (end > start && !isWordChar(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** Python's {@code " ".join(s.split())}. */
    public static String collapseWhitespace(String s) {
        return String.join(" ", PythonText.split(s));
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
