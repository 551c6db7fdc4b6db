package ai.videorl.common.recipe;

import ai.videorl.common.text.PythonText;
import ai.videorl.common.text.Span;

import java.util.List;

/**
 * Scans XML-like template tags ({@code <think>…</think>}) with plain {@code indexOf}, never a
 * regular expression, so every check is linear in the completion's length. Whitespace is what
 * the reference code's Python counts as whitespace ({@link PythonText}).
 */
final class Tags {

    static final String OBSERVATION = "observation";
    static final String THINK = "think";
    static final String ANSWER = "answer";
    /** Written once: a parse looks for them several times a completion, a million completions a run. */
    static final String THINK_OPEN = open(THINK);
    static final String THINK_CLOSE = close(THINK);
    static final String ANSWER_OPEN = open(ANSWER);
    static final String ANSWER_CLOSE = close(ANSWER);

    private Tags() {
    }

    static String open(String tag) {
        return "<" + tag + ">";
    }

    static String close(String tag) {
        return "</" + tag + ">";
    }

    /** A block {@code <tag>content</tag>}: its whole extent and its content. */
    record Block(Span extent, Span content) {
    }

    /** The first complete block of {@code tag} inside text[from, to), or null. */
    static Block first(String text, String tag, int from, int to) {
        String open = open(tag);
        int start = text.indexOf(open, from);
        if (start < 0 || start + open.length() > to) {
            return null;
        }
        int contentStart = start + open.length();
        int closeStart = text.indexOf(close(tag), contentStart);
        int end = closeStart + close(tag).length();
        if (closeStart < 0 || end > to) {
            return null;
        }
        return new Block(new Span(start, end), new Span(contentStart, closeStart));
    }

    /**
     * True when text[from, to) is exactly the blocks of {@code tags} in order, with only
     * whitespace around and between them, and no content holding any tag of {@code vocabulary}.
     */
    static boolean isExactly(String text, int from, int to, List<String> tags, List<String> vocabulary) {
        int position = PythonText.skipSpace(text, from, to);
        for (String tag : tags) {
            String open = open(tag);
            if (!text.startsWith(open, position) || position + open.length() > to) {
                return false;
            }
            int contentStart = position + open.length();
            int closeStart = text.indexOf(close(tag), contentStart);
            if (closeStart < 0 || closeStart + close(tag).length() > to
                    || containsAny(text, contentStart, closeStart, vocabulary)) {
                return false;
            }
            position = PythonText.skipSpace(text, closeStart + close(tag).length(), to);
        }
        return position == to;
    }

    /** True when text[from, to) contains an opening or closing tag of the vocabulary. */
    static boolean containsAny(String text, int from, int to, List<String> vocabulary) {
        for (String tag : vocabulary) {
            if (occursIn(text, open(tag), from, to) || occursIn(text, close(tag), from, to)) {
                return true;
            }
        }
        return false;
    }

    private static boolean occursIn(String text, String needle, int from, int to) {
        int at = text.indexOf(needle, from);
        return at >= 0 && at + needle.length() <= to;
    }

    /** The characters of a block's content, or null for none. */
    static Span contentSpan(Block block) {
        return block == null ? null : block.content();
    }

    /** The content of a block, stripped as Python strips it, or "" for none. */
    static String contentOf(String text, Block block) {
        return block == null ? "" : PythonText.strip(block.content().of(text));
    }
}
