package ai.videorl.common.text;

import ai.videorl.common.recipe.Recipes;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VocabularyTokenizerTest {

    private static final List<String> CORPUS = List.of(
            "\\boxed{Let's analyze the problem step by step.}<think>The red circle appears at 00:01.</think>\\boxed{B}",
            "<observation>Based on the question, I need to notice the red circle.</observation> <think>So B.</think><answer>B</answer>",
            "<think>At 00:01-00:03 a red circle is visible.</think><answer>red <> [1.0, 3.5]</answer>");

    private static final VocabularyTokenizer TOKENIZER = VocabularyTokenizer.fromCorpus(CORPUS, Recipes.TEMPLATE_PIECES, 1);

    private static List<String> pieces(String text) {
        VocabularyTokenizer.Encoding encoding = TOKENIZER.encode(text);
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < encoding.ids().length; i++) {
            pieces.add(text.substring(encoding.offsets().start(i), encoding.offsets().end(i)));
        }
        return pieces;
    }

    @Test
    void templateTagsAndWordsAreSinglePiecesAndDigitsAreSpeltOut() {
        assertEquals(List.of("\\boxed{", "B", "}", "<think>", "The", " red", " circle", " at", " ", "0", "0", ":", "0", "1",
                ".", "</think>"), pieces("\\boxed{B}<think>The red circle at 00:01.</think>"));
        assertEquals(List.of("red", " ", "<>", " ", "[", "1", ".", "0", "]"), pieces("red <> [1.0]"));
    }

    @Test
    void asciiTextRoundTripsExactlyEvenWithUnseenWords() {
        for (String text : List.of(CORPUS.get(0), CORPUS.get(1), "Zebras ~ jump {over} 42 lazy\tdogs!\n", "")) {
            assertEquals(text, TOKENIZER.decode(TOKENIZER.encode(text).ids()));
        }
    }

    @Test
    void offsetsOfIdsLocateEachTokenInTheDecodedText() {
        String text = "\\boxed{B}<think>red";
        int[] ids = TOKENIZER.encode(text).ids();
        TokenOffsets offsets = TOKENIZER.offsets(ids);
        assertEquals(TOKENIZER.encode(text).offsets(), offsets);
        int[] withSpecials = {VocabularyTokenizer.BEGIN, ids[0], VocabularyTokenizer.END};
        TokenOffsets specials = TOKENIZER.offsets(withSpecials);
        assertEquals(0, specials.end(0), "a special token decodes to nothing");
        assertEquals("\\boxed{".length(), specials.end(1));
    }

    @Test
    void unknownTextNeverFailsAndKeepsItsOffsets() {
        String text = "red 猫 😀!";
        VocabularyTokenizer.Encoding encoding = TOKENIZER.encode(text);
        assertEquals(List.of("red", " ", "猫", " ", "😀", "!"), pieces(text));
        assertEquals(VocabularyTokenizer.UNKNOWN, encoding.ids()[2]);
        assertEquals(VocabularyTokenizer.UNKNOWN, encoding.ids()[4]);
        assertEquals("red \uFFFD \uFFFD!", TOKENIZER.decode(encoding.ids()));
    }

    @Test
    void theSameCorpusGivesTheSameIds() {
        VocabularyTokenizer again = VocabularyTokenizer.fromCorpus(CORPUS, Recipes.TEMPLATE_PIECES, 1);
        assertEquals(TOKENIZER.pieces(), again.pieces());
        VocabularyTokenizer frequentOnly = VocabularyTokenizer.fromCorpus(CORPUS, Recipes.TEMPLATE_PIECES, 2);
        assertTrue(frequentOnly.id(" red") > 0, "' red' appears 3 times");
        assertEquals(-1, frequentOnly.id(" lazy"));
        assertTrue(frequentOnly.size() < TOKENIZER.size());
    }

    @Test
    void specialTokensLeadAndVanishWhenDecoded() {
        assertEquals(List.of("<pad>", "<s>", "</s>", "<unk>"), TOKENIZER.pieces().subList(0, 4));
        assertEquals("B", TOKENIZER.decode(new int[] {VocabularyTokenizer.BEGIN, TOKENIZER.id("B"), VocabularyTokenizer.END}));
        assertThrows(IllegalArgumentException.class, () -> TOKENIZER.decode(new int[] {TOKENIZER.size()}));
        assertThrows(IllegalArgumentException.class, () -> new VocabularyTokenizer(List.of("a", "b")));
        assertThrows(IllegalArgumentException.class,
                () -> new VocabularyTokenizer(List.of("<pad>", "<s>", "</s>", "<unk>", "x", "x")));
    }

    @Test
    void encodingAMegabyteIsLinear() {
        String text = "<think>".repeat(50_000) + "猫".repeat(100_000) + " red circle".repeat(50_000);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertEquals(text, TOKENIZER.decode(TOKENIZER.encode(text).ids())
                .replace("\uFFFD", "猫")));
    }
}
