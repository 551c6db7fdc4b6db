package ai.videorl.common.metric;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class NumericAnswerTest {

    @Test
    void exactComparesNumbersNotSpellings() {
        assertEquals(1.0, NumericAnswer.exact("3.0", "3"));
        assertEquals(1.0, NumericAnswer.exact("3,000", "3000"));
        assertEquals(1.0, NumericAnswer.exact(" 12 ", "12"));
        assertEquals(0.0, NumericAnswer.exact("3.01", "3"));
        assertEquals(1.0, NumericAnswer.exact("three", " three"), "non-numbers compare as trimmed text");
        assertEquals(0.0, NumericAnswer.exact("5 apples", "5"));
    }

    @Test
    void roundedTo2FollowsVideoR2() {
        assertEquals(0.0, NumericAnswer.roundedTo2("4.0", "4"), "decimal point on one side only");
        assertEquals(0.0, NumericAnswer.roundedTo2("4", "4,0"), "a comma counts like a decimal point");
        assertEquals(1.0, NumericAnswer.roundedTo2("1,000.004", "1000.00"));
        assertEquals(1.0, NumericAnswer.roundedTo2("3.14159", "3.14"));
        assertEquals(0.0, NumericAnswer.roundedTo2("3.146", "3.14"));
        // Python's round(2.675, 2) is 2.67: the binary double is just below 2.675.
        assertEquals(1.0, NumericAnswer.roundedTo2("2.675", "2.67"));
        assertEquals(0.0, NumericAnswer.roundedTo2("x", "x"));
    }

    @Test
    void relativeAccuracyIsTheReferencesClippedFormula() {
        // 1 − (|p − t| + 1e-9) / (|t| + 1e-9), as Video-R2 and Video-R1 compute it.
        assertEquals(1 - (1 + 1e-9) / (4 + 1e-9), NumericAnswer.relativeAccuracy("5", "4"), 1e-15);
        assertEquals(1 - (1 + 1e-9) / (4 + 1e-9), NumericAnswer.relativeAccuracy("3", "4"), 1e-15);
        assertEquals(1 - 1e-9 / (3.5 + 1e-9), NumericAnswer.relativeAccuracy("3.5", "3.5"), 1e-15, "exact: just under 1");
        assertEquals(0.0, NumericAnswer.relativeAccuracy("100", "4"));
        assertEquals(0.0, NumericAnswer.relativeAccuracy("0", "0"), "a true 0 scores 0 whatever the prediction");
        assertEquals(0.0, NumericAnswer.relativeAccuracy("0.1", "0"));
        assertEquals(0.0, NumericAnswer.relativeAccuracy("1e400", "4"), "an infinite double scores 0");
        assertEquals(0.0, NumericAnswer.relativeAccuracy("nan", "4"), "nan scores 0 (Python's min(1, nan) would give 1)");
        assertEquals(1 - 1e-9 / (1000 + 1e-9), NumericAnswer.relativeAccuracy(" 1_000 ", "1e3"), 1e-15, "Python's float()");
        assertEquals(1 - 1e-9 / (3 + 1e-9), NumericAnswer.relativeAccuracy("\u0663", "3"), 1e-15, "digits of any script");
        assertEquals(0.0, NumericAnswer.relativeAccuracy("1f", "1"), "Java's float suffix is no Python number");
    }

    @Test
    void videoR2DropsEveryCommaVideoP2RReadsThousands() {
        assertEquals(0.0, NumericAnswer.exact("1,5", "15"), "1,5 is no number");
        assertEquals(1 - 1e-9 / (15 + 1e-9), NumericAnswer.relativeAccuracy("1,5", "15"), 1e-15, "Video-R2: 1,5 is 15");
        assertEquals(1.0, NumericAnswer.roundedTo2("1,50", "15,0"), "both have a comma, and both are 150");
        assertEquals(0.0, NumericAnswer.roundedTo2("1,234", "1234"), "a comma on one side only");
        assertEquals(1.0, NumericAnswer.exact("-1,234,567.5", "-1234567.5"));
        for (String bad : new String[] {"1,5", "12,34", ",123", "1234,567", "1,234,56", "1.5,000", "1,"}) {
            assertNull(NumericAnswer.parse(bad), bad);
        }
    }

    @Test
    void parseRejectsNonNumbersAndAbsurdSizes() {
        assertNull(NumericAnswer.parse(""));
        assertNull(NumericAnswer.parse("1 2"));
        assertNull(NumericAnswer.parse("1e99999"));
        assertNull(NumericAnswer.parse("1".repeat(200)));
        assertEquals(0, NumericAnswer.parse("-1,234.5").compareTo(new java.math.BigDecimal("-1234.5")));
    }
}
