package ai.videorl.common.text;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenOffsetsTest {

    @Test
    void aTokenBelongsToTheSpanHoldingItsFirstCharacter() {
        // "ab|cd|ef" as three tokens.
        TokenOffsets tokens = TokenOffsets.of(new int[] {0, 2, 4}, new int[] {2, 4, 6}, 6);
        assertEquals(new Span(0, 1), tokens.tokenSpan(new Span(0, 2)));
        assertEquals(new Span(1, 3), tokens.tokenSpan(new Span(2, 6)));
        assertEquals(new Span(1, 2), tokens.tokenSpan(new Span(1, 3)), "token 1 starts at 2");
        assertEquals(0, tokens.count(new Span(1, 2)));
        assertEquals(3, tokens.count(new Span(0, 6)));
    }

    @Test
    void anEndTokenAtTheEndOfTheTextBelongsToTheLastSpan() {
        // "ab|cd" and an end-of-sequence token with offsets (4, 4).
        TokenOffsets tokens = TokenOffsets.of(new int[] {0, 2, 4}, new int[] {2, 4, 4}, 4);
        assertEquals(new Span(1, 3), tokens.tokenSpan(new Span(2, 4)));
        assertEquals(new Span(0, 1), tokens.tokenSpan(new Span(0, 2)));
        assertEquals(0, tokens.count(new Span(4, 4)), "an empty span at the end leaves the end token to the span before it");
    }

    @Test
    void aPartitionGivesTheEndTokenToExactlyOneSpan() {
        // "ab|cd" and END: the non-empty span reaching the end owns END, the empty one after it nothing.
        TokenOffsets tokens = TokenOffsets.of(new int[] {0, 2, 4}, new int[] {2, 4, 4}, 4);
        Map<String, Span> characters = new LinkedHashMap<>();
        characters.put("p", new Span(0, 4));
        characters.put("r", new Span(4, 4));
        Map<String, Span> spans = tokens.tokenSpans(characters);
        assertEquals(new Span(0, 3), spans.get("p"));
        assertTrue(spans.get("r").isEmpty(), spans.toString());

        // An empty text: END alone, every span [0, 0); the first span owns it, once.
        TokenOffsets endOnly = TokenOffsets.of(new int[] {0}, new int[] {0}, 0);
        characters.put("p", new Span(0, 0));
        characters.put("r", new Span(0, 0));
        assertEquals(Map.of("p", new Span(0, 1), "r", new Span(0, 0)), endOnly.tokenSpans(characters));
        assertEquals(new Span(0, 0), endOnly.tokenSpan(new Span(0, 0)), "asked alone, an empty span holds no token's first character");
    }

    @Test
    void rejectsOffsetsOutsideTheTextOrOutOfOrder() {
        assertThrows(IllegalArgumentException.class, () -> TokenOffsets.of(new int[] {0, 2}, new int[] {2}, 4));
        assertThrows(IllegalArgumentException.class, () -> TokenOffsets.of(new int[] {0, 2}, new int[] {2, 5}, 4));
        assertThrows(IllegalArgumentException.class, () -> TokenOffsets.of(new int[] {2, 0}, new int[] {4, 2}, 4));
        assertThrows(IllegalArgumentException.class, () -> TokenOffsets.of(new int[] {1}, new int[] {0}, 4));
    }

    @Test
    void wordPunctTokenizerSplitsWordsDigitsPunctuationAndTags() {
        String text = "<think> At 12.5s,  red</think>\\boxed{B}";
        TokenOffsets tokens = WordPunctTokenizer.INSTANCE.tokenize(text);
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            pieces.add(text.substring(tokens.start(i), tokens.end(i)));
        }
        assertEquals(List.of("<think>", " At", " 1", "2", ".", "5", "s", ",", "  red", "</think>", "\\", "boxed", "{",
                "B", "}"), pieces);
    }

    @Test
    void wordPunctTokenizerCoversTextWithoutGaps() {
        String text = "  a <b c>d</ > é😀 ";
        TokenOffsets tokens = WordPunctTokenizer.INSTANCE.tokenize(text);
        for (int i = 1; i < tokens.size(); i++) {
            assertEquals(tokens.end(i - 1), tokens.start(i));
        }
        assertEquals(0, tokens.start(0));
        assertEquals(text.length() - 1, tokens.end(tokens.size() - 1), "only the trailing space is left out");
    }
}
