package ai.videorl.common.text;

import java.util.Arrays;

/**
 * A tokenizer-free stand-in for counting tokens when the policy's own tokenizer is not at hand
 * (offline scoring): a run of letters is one token, every digit is one token (as in Qwen's
 * vocabulary), every other visible character is one token, and an XML-like tag such as
 * {@code <think>} or {@code </observation>} is one token. Whitespace joins the token after it,
 * as in byte-level BPE. Counts land close to a BPE tokenizer's on English reasoning text; pass
 * real offsets where exact segment lengths matter.
 */
public final class WordPunctTokenizer implements Tokenizer {

    public static final WordPunctTokenizer INSTANCE = new WordPunctTokenizer();

    /** Longer {@code <…>} runs are not tags: they are tokenised character by character. */
    private static final int LONGEST_TAG = 32;

    @Override
    public TokenOffsets tokenize(String text) {
        int[] starts = new int[16];
        int[] ends = new int[16];
        int count = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            int start = i;
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i == n) {
                break;
            }
            i = endOfToken(text, i);
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            starts[count] = start;
            ends[count] = i;
            count++;
        }
        return TokenOffsets.of(Arrays.copyOf(starts, count), Arrays.copyOf(ends, count), n);
    }

    private static int endOfToken(String text, int i) {
        char c = text.charAt(i);
        if (Character.isLetter(c)) {
            while (i < text.length() && Character.isLetter(text.charAt(i))) {
                i++;
            }
            return i;
        }
        if (c == '<') {
            int tagEnd = endOfTag(text, i);
            if (tagEnd > 0) {
                return tagEnd;
            }
        }
        return i + Character.charCount(text.codePointAt(i));
    }

    /** End of a tag {@code <name>} or {@code </name>} starting at {@code i}, or -1. */
    private static int endOfTag(String text, int i) {
        int j = i + 1;
        if (j < text.length() && text.charAt(j) == '/') {
            j++;
        }
        int nameStart = j;
        while (j < text.length() && j - i < LONGEST_TAG && isTagNameChar(text.charAt(j))) {
            j++;
        }
        return j > nameStart && j < text.length() && text.charAt(j) == '>' ? j + 1 : -1;
    }

    private static boolean isTagNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }
}
