package ai.videorl.common.metric;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * VideoAuto-R1's {@code exact_match}: equality after normalisation. The rules, applied in order
 * to the NFKC-normalised, trimmed, lower-cased text:
 * <ol>
 *   <li>a bare option letter, optionally in brackets and/or followed by one of {@code ) / : ; -},
 *       becomes the letter: "(A)", "A)", "[b]:" and "a" are all "a"; "A." and "A. text" stay as
 *       they are (so "A." does not equal "A");</li>
 *   <li>a whole-string yes/no variant, once surrounding non-word characters are stripped, becomes
 *       "yes" (yes, y, true, t, ok, okay) or "no" (no, n, false, f) — rule 1 runs first, so a
 *       bare "y" is the letter y, as in the reference;</li>
 *   <li>anything else: whitespace runs collapse to one space.</li>
 * </ol>
 */
public final class ExactMatch {

    private static final Set<String> YES = Set.of("yes", "y", "true", "t", "ok", "okay");
    private static final Set<String> NO = Set.of("no", "n", "false", "f");

    private ExactMatch() {
    }

    /** 1 when the normalised strings are equal, else 0. */
    public static double score(String predicted, String truth) {
        return normalize(predicted).equals(normalize(truth)) ? 1 : 0;
    }

    public static String normalize(String text) {
        String s = isAscii(text) ? text : Normalizer.normalize(text, Normalizer.Form.NFKC);
        s = s.strip().toLowerCase(Locale.ROOT);
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

    /** The letter of "a", "(a)", "[a]", "a)", "a:", "(a);" …; null for anything else, "(a" and "[a)" included. */
    private static String optionLetter(String s) {
        int i = 0;
        int n = s.length();
        char close = 0;
        if (i < n && (s.charAt(i) == '(' || s.charAt(i) == '[')) {
            close = s.charAt(i++) == '(' ? ')' : ']';
        }
        if (i >= n || s.charAt(i) < 'a' || s.charAt(i) > 'z') {
            return null;
        }
        char letter = s.charAt(i++);
        if (close != 0) {
            if (i >= n || s.charAt(i) != close) {
                return null;
            }
            i++;
        }
        if (i < n && "):;-/".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        return i == n ? String.valueOf(letter) : null;
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

    public static String collapseWhitespace(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean inSpace = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                inSpace = true;
            } else {
                if (inSpace && out.length() > 0) {
                    out.append(' ');
                }
                inSpace = false;
                out.append(c);
            }
        }
        return out.toString();
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
