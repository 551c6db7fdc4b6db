package ai.videorl.cluster.embedding;

import ai.videorl.common.grounding.ClaimParser;
import ai.videorl.common.grounding.Embedder;
import ai.videorl.common.grounding.TemporalAlignment;
import ai.videorl.common.grounding.TimestampClaim;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MiniLmEmbedderTest {

    private static MiniLmEmbedder embedder;

    @BeforeAll
    static void load() {
        embedder = MiniLmEmbedder.load();
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void paraphrasesAreCloserThanUnrelatedSentences() {
        float[][] vectors = embedder.embed(List.of(
                "a red circle appears on the left",
                "on the left side a red round shape shows up",
                "the stock market fell sharply on Monday",
                "A dog is running in the park.",
                "A puppy runs through the park."));
        assertEquals(384, vectors[0].length);
        double paraphrase = Embedder.cosine(vectors[0], vectors[1]);
        double unrelated = Embedder.cosine(vectors[0], vectors[2]);
        assertTrue(paraphrase > unrelated + 0.3, "paraphrase " + paraphrase + " vs unrelated " + unrelated);
        assertTrue(Embedder.cosine(vectors[3], vectors[4]) > 0.75, "near-paraphrases pass the paper's threshold");
        assertEquals(1.0, Embedder.cosine(vectors[0], vectors[0]), 1e-5, "unit length");
    }

    @Test
    void batchingDoesNotChangeAVector() {
        float[] alone = embedder.embed(List.of("a blue square moves right")).clone()[0];
        float[] batched = embedder.embed(List.of("short", "a blue square moves right", "a much longer sentence about nothing much"))[1];
        assertEquals(1.0, Embedder.cosine(alone, batched), 1e-5);
    }

    @Test
    void temporalAlignmentMatchesParaphrasedClaims() {
        List<TimestampClaim> truth = ClaimParser.fromMap(Map.of("00:01-00:03", "a red circle is visible"));
        List<TimestampClaim> predicted = ClaimParser.fromText("At 00:02 I can see a red circle. At 00:09 a car drives by.");
        TemporalAlignment.Result result = TemporalAlignment.PAPER.evaluate(predicted, truth, embedder);
        assertEquals(1, result.matches());
        assertEquals(0.5, result.value(), 1e-12);
    }
}
