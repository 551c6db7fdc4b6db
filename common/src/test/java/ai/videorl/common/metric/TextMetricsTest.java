package ai.videorl.common.metric;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TextMetricsTest {

    @Test
    void wordErrorRateCountsSubstitutionsInsertionsAndDeletions() {
        assertEquals(1.0, WordErrorRate.accuracy("stop here", "stop here"));
        assertEquals(0.5, WordErrorRate.accuracy("stop there", "stop here"), 1e-12);
        assertEquals(0.5, WordErrorRate.accuracy("stop", "stop here"), 1e-12);
        assertEquals(0.0, WordErrorRate.accuracy("a b c d e", "stop here"), "WER above 1 clips to accuracy 0");
        assertEquals(2.0 / 3, WordErrorRate.accuracy("Stop here now", "stop here now"), 1e-12, "case-sensitive");
        assertEquals(1.0, WordErrorRate.accuracy("", "  "));
        assertEquals(0.0, WordErrorRate.accuracy("x", ""));
    }

    @Test
    void rougeTokenizesAndStemsLikeRougeScore() {
        assertEquals(List.of("the", "cat", "run", "fast", "2"), Rouge.tokens("The cats' running fast-2"));
    }

    @Test
    void rougeF1ByHand() {
        List<String> candidate = Rouge.tokens("the cat sat");
        List<String> reference = Rouge.tokens("the cat sat on the mat");
        // ROUGE-1: overlap 3, P = 3/3, R = 3/6 -> F = 2/3. ROUGE-2: overlap 2, P = 2/2, R = 2/5 -> F = 4/7.
        assertEquals(2.0 / 3, Rouge.nGramF1(candidate, reference, 1), 1e-12);
        assertEquals(4.0 / 7, Rouge.nGramF1(candidate, reference, 2), 1e-12);
        assertEquals(2.0 / 3, Rouge.lcsF1(candidate, reference), 1e-12);
        assertEquals((2.0 / 3 + 4.0 / 7 + 2.0 / 3) / 3, Rouge.meanF1("the cat sat", "the cat sat on the mat"), 1e-12);
    }

    @Test
    void rougeCountsRepeatedNGramsOnlyAsOftenAsTheReferenceHasThem() {
        assertEquals(2 * (2.0 / 4) * (2.0 / 2) / (2.0 / 4 + 1), Rouge.nGramF1(Rouge.tokens("a a a a"), Rouge.tokens("a a"), 1), 1e-12);
    }

    @Test
    void rougeOfNothingIsZero() {
        assertEquals(0.0, Rouge.meanF1("", "the cat"));
        assertEquals(0.0, Rouge.meanF1("!!!", "the cat"));
        assertEquals(1.0, Rouge.meanF1("The Cats", "the cat"), 1e-12);
    }
}
