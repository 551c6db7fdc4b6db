package ai.videorl.common.metric;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExactMatchTest {

    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', value = {
        "A|a", "(A)|a", "[A]|a", "A)|a", "A:|a", "A;|a", "A-|a", "A/|a", "(A);|a", "  b  |b",
        "A.|a.", "A. text|a. text", "AB|ab", "(A|(a", "[A)|a", "A))|a))", "(A]|a", "{B}|b", "( a )|a", "a )|a",
        "(A) -|a", "'(a).'|(a).", "b//|b//",
        "Yes|yes", "yes.|yes", "\"Yes!\"|yes", "TRUE|yes", "ok|yes", "Okay|yes",
        "No|no", "no.|no", "false|no", "(No)|no",
        "y|y", "n|n", "t|t", "f|f",
        "yes it is|yes it is",
        "Red   and\tblue|red and blue",
        "ＡＢＣ|abc", "ｙｅｓ|yes", "（A）|a",
    })
    void normalizes(String input, String expected) {
        assertEquals(expected, ExactMatch.normalize(input));
    }

    @Test
    void aPeriodAfterTheLetterIsNotTheLetter() {
        assertEquals(0.0, ExactMatch.score("A.", "A"));
        assertEquals(0.0, ExactMatch.score("A. text", "A"));
        assertEquals(1.0, ExactMatch.score("(A)", "a"));
    }

    @Test
    void yesNoVariantsMatch() {
        assertEquals(1.0, ExactMatch.score("True.", "yes"));
        assertEquals(1.0, ExactMatch.score("NO!", "false"));
        assertEquals(0.0, ExactMatch.score("yes", "no"));
    }

    @Test
    void emptyAndWhitespaceOnlyAreEmpty() {
        assertEquals("", ExactMatch.normalize("   \n "));
    }
}
