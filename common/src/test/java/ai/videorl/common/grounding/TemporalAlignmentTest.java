package ai.videorl.common.grounding;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemporalAlignmentTest {

    private static final Embedder WORDS = new LexicalEmbedder(256);

    private static TimestampClaim claim(long start, long end, String sentence) {
        return new TimestampClaim(start, end, sentence);
    }

    @Test
    void readsTimesRangesAndPhrasesWithTheirSentences() {
        List<TimestampClaim> claims = ClaimParser.fromText(
                "At 00:01-00:03 a red circle is visible. The blue square appears at 00:02.6; at 12 s it leaves.\n"
                        + "Later, 01:02:03 – 01:02:00: the end. Between 00:05 to 00:07 nothing moves!");
        assertEquals(List.of(
                claim(1, 3, "a red circle is visible"),
                claim(3, 3, "The blue square appears"),
                claim(12, 12, "it leaves"),
                claim(3720, 3723, "Later, the end"),
                claim(5, 7, "nothing moves")), claims);
    }

    @Test
    void dropsOpenRangesAndWhatIsNoClock() {
        assertEquals(List.of(), ClaimParser.fromText("From 00:05- onwards it is dark. 3:5 is no time, nor 12:345 or 00:75."));
        assertEquals(List.of(claim(125, 125, "the clock shows")), ClaimParser.fromText("the clock shows 02:05"));
    }

    @Test
    void readsAndSanitisesGroundTruthMaps() {
        Map<String, String> truth = new LinkedHashMap<>();
        truth.put("00:01-00:03", " a red circle is visible ");
        truth.put("00:09-00:04", "reversed");
        truth.put("01:00:00", "an hour in");
        truth.put("00:05-", "open");
        truth.put("soon", "no time");
        assertEquals(List.of(claim(1, 3, "a red circle is visible"), claim(4, 9, "reversed"), claim(3600, 3600, "an hour in")),
                ClaimParser.fromMap(truth));
        assertEquals("00:01-00:03", claim(1, 3, "x").key());
        assertEquals("01:00:00", claim(3600, 3600, "x").key());
    }

    @Test
    void matchesOverlappingSimilarClaimsOnceEach() {
        List<TimestampClaim> truth = List.of(claim(2, 4, "a red circle is visible"), claim(20, 22, "a green square moves"));
        List<TimestampClaim> predicted = List.of(claim(10, 12, "a green square moves"), claim(1, 3, "a red circle is visible"));
        TemporalAlignment.Result result = TemporalAlignment.PAPER.evaluate(predicted, truth, WORDS);
        assertEquals(1, result.matches(), "12 + 2 s does not reach 20 - 2 s");
        assertEquals(0.5, result.value());
        assertEquals(0.5, new TemporalAlignment(2, 0.75, TemporalAlignment.Score.F1).evaluate(predicted, truth, WORDS).value(), 1e-12);
        assertEquals(1.0, new TemporalAlignment(10, 0.75, TemporalAlignment.Score.PRECISION)
                .evaluate(predicted, truth, WORDS).value(), "a 10 s buffer reaches");

        List<TimestampClaim> twice = List.of(claim(2, 2, "a red circle is visible"), claim(3, 3, "a red circle is visible"));
        assertEquals(0.5, TemporalAlignment.PAPER.evaluate(twice, truth, WORDS).value(), "a ground-truth claim matches once");
    }

    @Test
    void needsSimilarSentencesAndClaimsOnBothSides() {
        List<TimestampClaim> truth = List.of(claim(2, 4, "a red circle is visible"));
        assertEquals(0.0, TemporalAlignment.PAPER.evaluate(List.of(claim(2, 4, "nothing happens here")), truth, WORDS).value());
        assertEquals(0.0, TemporalAlignment.PAPER.evaluate(List.of(), truth, WORDS).value());
        assertEquals(0.0, TemporalAlignment.PAPER.evaluate(truth, List.of(), WORDS).value());
        assertEquals(1.0, Embedder.cosine(WORDS.embed(List.of("A red circle")).clone()[0], WORDS.embed(List.of("a RED circle"))[0]), 1e-6);
    }

    @Test
    void aMegabyteOfReasoningParsesInLinearTime() {
        String text = "At 00:01 red. ".repeat(40_000) + "00:0".repeat(50_000) + "at 1".repeat(50_000);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertTrue(ClaimParser.fromText(text).size() >= 40_000));
    }
}
