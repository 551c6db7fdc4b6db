package ai.videorl.common.recipe;

import ai.videorl.common.text.Span;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds {@code \boxed{…}} answers the way VideoAuto-R1's reference pattern does: the content may
 * hold brace groups one level deep ({@code \boxed{\frac{1}{2}}}) but no deeper; an attempt that
 * fails (unclosed, too deep) is no box and the scan goes on after its {@code \boxed} keyword.
 * The scan is linear: a failed attempt stops at the first brace it cannot accept, and a
 * successful one is skipped past.
 */
final class Boxes {

    static final String KEYWORD = "\\boxed{";

    private Boxes() {
    }

    /** The content spans of up to {@code limit} boxes lying wholly inside text[from, to). */
    static List<Span> find(String text, int from, int to, int limit) {
        List<Span> found = new ArrayList<>(2);
        int at = text.indexOf(KEYWORD, from);
        while (at >= 0 && at + KEYWORD.length() <= to && found.size() < limit) {
            int contentStart = at + KEYWORD.length();
            int close = closingBrace(text, contentStart, to);
            if (close >= 0) {
                found.add(new Span(contentStart, close));
                at = text.indexOf(KEYWORD, close + 1);
            } else {
                at = text.indexOf(KEYWORD, at + 1);
            }
        }
        return found;
    }

    /** The content of the only box in text[from, to), or null when there are none or several. */
    static Span only(String text, int from, int to) {
        List<Span> boxes = find(text, from, to, 2);
        return boxes.size() == 1 ? boxes.get(0) : null;
    }

    /** Index of the brace closing a box whose content starts at {@code i}, or -1. */
    private static int closingBrace(String text, int i, int to) {
        boolean inGroup = false;
        for (; i < to; i++) {
            char c = text.charAt(i);
            if (c == '{') {
                if (inGroup) {
                    return -1;
                }
                inGroup = true;
            } else if (c == '}') {
                if (!inGroup) {
                    return i;
                }
                inGroup = false;
            }
        }
        return -1;
    }
}
