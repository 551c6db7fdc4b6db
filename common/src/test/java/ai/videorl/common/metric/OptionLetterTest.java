package ai.videorl.common.metric;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OptionLetterTest {

    private static final List<String> OPTIONS = List.of("A. red", "B. blue", "C. green", "D. light yellow");

    @Test
    void readsTheLetterInItsCommonSpellings() {
        for (String answer : List.of("B", "b", "(B)", "[b]", "B.", "B:", "B)", "B. blue", "B blue", " B ")) {
            assertEquals('B', OptionLetter.extract(answer, OPTIONS), answer);
        }
    }

    @Test
    void readsAnOptionsTextAsItsLetter() {
        assertEquals('D', OptionLetter.extract("Light   Yellow", OPTIONS));
        assertEquals(OptionLetter.NONE, OptionLetter.extract("yellow", OPTIONS));
        assertEquals('B', OptionLetter.extract("Blue", OPTIONS), "an upper-case letter followed by letters is a word");
    }

    @Test
    void anOptionsWholeTextWinsOverALeadingLetter() {
        assertEquals('B', OptionLetter.extract("A blue circle", List.of("A. red", "B. A blue circle")));
        assertEquals('A', OptionLetter.extract("A blue", List.of("A. red", "B. A blue circle")), "no option's text: the letter");
    }

    @Test
    void refusesWhatIsNoChoice() {
        for (String answer : List.of("", "a cat", "Purple", "E", "(B", "Bb", "7", "..")) {
            assertEquals(OptionLetter.NONE, OptionLetter.extract(answer, OPTIONS), answer);
        }
        assertEquals('E', OptionLetter.extract("E", List.of()), "without options any letter counts");
    }

    @Test
    void scoresOnlyAMatchingChoice() {
        assertEquals(1.0, OptionLetter.score("(C)", "C", OPTIONS));
        assertEquals(0.0, OptionLetter.score("A", "C", OPTIONS));
        assertEquals(0.0, OptionLetter.score("", "", OPTIONS), "no letter on either side is no match");
    }
}
