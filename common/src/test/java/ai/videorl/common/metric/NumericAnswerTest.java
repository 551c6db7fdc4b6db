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
    void relativeAccuracyIsClipped() {
        assertEquals(0.75, NumericAnswer.relativeAccuracy("5", "4"), 1e-12);
        assertEquals(0.75, NumericAnswer.relativeAccuracy("3", "4"), 1e-12);
        assertEquals(0.0, NumericAnswer.relativeAccuracy("100", "4"));
        assertEquals(1.0, NumericAnswer.relativeAccuracy("0", "0"));
        assertEquals(0.0, NumericAnswer.relativeAccuracy("0.1", "0"));
        assertEquals(0.0, NumericAnswer.relativeAccuracy("1e400", "4"), "an infinite double scores 0");
    }

    @Test
    void commasMustSeparateThousands() {
        assertEquals(0.0, NumericAnswer.exact("1,5", "15"), "1,5 is no number");
        assertEquals(0.0, NumericAnswer.relativeAccuracy("1,5", "15"));
        assertEquals(0.0, NumericAnswer.roundedTo2("1,50", "15,0"));
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
