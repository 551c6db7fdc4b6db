package ai.videorl.common.metric;

import java.util.List;
import java.util.Locale;

/**
 * The option letter of a multiple-choice answer, as VideoP2R and Video-R2 score it: an answer
 * that is an option's whole text ("blue" for the option "B. blue") chooses that option;
 * otherwise "B", "(B)", "B.", "B) blue" and "b" all choose B. Letters are limited to the
 * options given (A–Z when none), and a lower-case letter counts only alone or in brackets, so
 * "a cat" is no choice.
 */
public final class OptionLetter {

    /** Returned when no letter can be read. */
    public static final char NONE = 0;

    private OptionLetter() {
    }

    /** 1 when the predicted and true answers choose the same option, else 0. */
    public static double score(String predicted, String truth, List<String> options) {
        char expected = extract(truth, options);
        return expected != NONE && expected == extract(predicted, options) ? 1 : 0;
    }

    /** The chosen option's upper-case letter, or {@link #NONE}. */
    public static char extract(String answer, List<String> options) {
        String s = answer.strip();
        char last = options.isEmpty() ? 'Z' : (char) ('A' + Math.min(options.size(), 26) - 1);
        // An option's whole text comes first: "A blue circle" may be option B's text, not a choice of A.
        String text = ExactMatch.collapseWhitespace(s.toLowerCase(Locale.ROOT));
        for (String option : options) {
            String trimmed = option.strip();
            char optionLetter = leadingLetter(trimmed, last);
            if (optionLetter != NONE && text.equals(optionText(trimmed))) {
                return optionLetter;
            }
        }
        return leadingLetter(s, last);
    }

    private static char leadingLetter(String s, char last) {
        int i = 0;
        int n = s.length();
        boolean bracket = i < n && (s.charAt(i) == '(' || s.charAt(i) == '[');
        if (bracket) {
            i++;
        }
        if (i >= n || !Character.isLetter(s.charAt(i))) {
            return NONE;
        }
        char raw = s.charAt(i);
        char letter = Character.toUpperCase(raw);
        if (letter < 'A' || letter > last) {
            return NONE;
        }
        i++;
        if (bracket) {
            return i < n && (s.charAt(i) == ')' || s.charAt(i) == ']') ? letter : NONE;
        }
        if (i == n) {
            return letter;
        }
        char next = s.charAt(i);
        boolean delimited = next == '.' || next == ':' || next == ')' || Character.isWhitespace(next);
        return raw == letter && delimited ? letter : NONE;
    }

    /** "B. blue" -> "blue": the option without its letter and delimiter, normalised. */
    private static String optionText(String option) {
        int i = 0;
        while (i < option.length() && !Character.isLetterOrDigit(option.charAt(i))) {
            i++;
        }
        i++;
        while (i < option.length() && (".:)]".indexOf(option.charAt(i)) >= 0 || Character.isWhitespace(option.charAt(i)))) {
            i++;
        }
        return ExactMatch.collapseWhitespace(option.substring(Math.min(i, option.length())).toLowerCase(Locale.ROOT));
    }
}
