package ai.videorl.common.text;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The policy's tokenizer: a fixed vocabulary of pieces, matched greedily longest-first. The
 * vocabulary holds the special tokens, every printable ASCII character with tab and line ends
 * (so ASCII text encodes exactly and decodes back to itself), the recipes' template tags as single pieces, and
 * frequent words with and without a leading space. Digits are always single pieces, as in Qwen's
 * vocabulary, so numbers and times are spelt digit by digit. Anything else (non-ASCII text) is
 * {@link #UNKNOWN}, one per code point: unknown text never fails.
 *
 * <p>Encoding is linear in the text length (each position tries at most the longest piece's
 * length); instances are immutable and thread-safe.
 */
public final class VocabularyTokenizer implements Tokenizer {

    /** Padding; never produced by {@link #encode}. */
    public static final int PAD = 0;
    /** Begins a response during training and generation. */
    public static final int BEGIN = 1;
    /** Ends a response. */
    public static final int END = 2;
    /** Stands for a code point the vocabulary lacks. */
    public static final int UNKNOWN = 3;

    static final List<String> SPECIALS = List.of("<pad>", "<s>", "</s>", "<unk>");

    private final List<String> pieces;
    private final Map<String, Integer> ids;
    private final int longestPiece;

    /** @param pieces the vocabulary in id order, starting with {@link #SPECIALS} */
    public VocabularyTokenizer(List<String> pieces) {
        this.pieces = List.copyOf(pieces);
        if (this.pieces.size() < SPECIALS.size() || !this.pieces.subList(0, SPECIALS.size()).equals(SPECIALS)) {
            throw new IllegalArgumentException("a vocabulary starts with the special tokens " + SPECIALS);
        }
        Map<String, Integer> byPiece = new HashMap<>();
        int longest = 1;
        for (int id = SPECIALS.size(); id < this.pieces.size(); id++) {
            String piece = this.pieces.get(id);
            if (piece.isEmpty() || byPiece.putIfAbsent(piece, id) != null) {
                throw new IllegalArgumentException("vocabulary piece " + id + " is empty or repeated: '" + piece + "'");
            }
            longest = Math.max(longest, piece.length());
        }
        this.ids = Collections.unmodifiableMap(byPiece);
        this.longestPiece = longest;
    }

    public int size() {
        return pieces.size();
    }

    /** The vocabulary in id order. */
    public List<String> pieces() {
        return pieces;
    }

    /** The piece of an id, as {@link #decode} writes it ("" for the special tokens). */
    public String piece(int id) {
        return id < SPECIALS.size() ? (id == UNKNOWN ? "\uFFFD" : "") : pieces.get(id);
    }

    /** The id of a piece, or -1. */
    public int id(String piece) {
        return ids.getOrDefault(piece, -1);
    }

    /** Token ids and where each token lies in the text. */
    public record Encoding(int[] ids, TokenOffsets offsets) {
        public Encoding {
            Objects.requireNonNull(ids, "ids");
            Objects.requireNonNull(offsets, "offsets");
        }
    }

    public Encoding encode(String text) {
        int[] tokenIds = new int[Math.max(4, text.length() / 3)];
        int[] starts = new int[tokenIds.length];
        int[] ends = new int[tokenIds.length];
        int count = 0;
        int position = 0;
        while (position < text.length()) {
            int id = UNKNOWN;
            int end = position + Character.charCount(text.codePointAt(position));
            for (int length = Math.min(longestPiece, text.length() - position); length >= 1; length--) {
                Integer match = ids.get(text.substring(position, position + length));
                if (match != null) {
                    id = match;
                    end = position + length;
                    break;
                }
            }
            if (count == tokenIds.length) {
                tokenIds = Arrays.copyOf(tokenIds, count * 2);
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            tokenIds[count] = id;
            starts[count] = position;
            ends[count] = end;
            count++;
            position = end;
        }
        return new Encoding(Arrays.copyOf(tokenIds, count),
                TokenOffsets.of(Arrays.copyOf(starts, count), Arrays.copyOf(ends, count), text.length()));
    }

    @Override
    public TokenOffsets tokenize(String text) {
        return encode(text).offsets();
    }

    /** The text of the ids: their pieces concatenated; special tokens vanish, unknown ones are U+FFFD. */
    public String decode(int[] tokenIds) {
        StringBuilder text = new StringBuilder();
        for (int id : tokenIds) {
            if (id < 0 || id >= pieces.size()) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + pieces.size());
            }
            text.append(piece(id));
        }
        return text.toString();
    }

    /** Where each token of {@code tokenIds} lies in {@link #decode}'s text: decoding concatenates pieces. */
    public TokenOffsets offsets(int[] tokenIds) {
        int[] starts = new int[tokenIds.length];
        int[] ends = new int[tokenIds.length];
        int position = 0;
        for (int t = 0; t < tokenIds.length; t++) {
            starts[t] = position;
            position += piece(tokenIds[t]).length();
            ends[t] = position;
        }
        return TokenOffsets.of(starts, ends, position);
    }

    /** Builds a vocabulary from the texts a policy will read and write. */
    public static VocabularyTokenizer fromCorpus(Iterable<String> texts, List<String> tags, int minimumCount) {
        return VocabularyBuilder.build(texts, tags, minimumCount);
    }

    @Override
    public String toString() {
        return "VocabularyTokenizer[" + pieces.size() + " pieces]";
    }
}
