package ai.videorl.common.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MathEquivalenceTest {

    // Each table: {predicted, truth}. Every assertion is checked in both argument orders.

    private static final String[][] NUMBERS_EQUAL = {
        {"42", "42.0"}, {"-7", "-7"}, {"+5", "5"}, {"3.50", "3.5"}, {"0.5", ".5"}, {"5.", "5"},
        {"1,234", "1234"}, {"1,234,567.5", "1234567.5"}, {"1,000,000", "1000000"}, {"-0", "0"},
        {"1e3", "1000"}, {"2.5E-3", "0.0025"}, {"1e+2", "100"},
        {"50%", "0.5"}, {"50%", "50"}, {"50\\%", "\\frac{1}{2}"}, {"12.5\\%", "0.125"}, {"100%", "1"},
        {"1,2", "(1, 2)"}, {"2 3", "23"}, {"1 000", "1000"}, // whitespace is insignificant, as in LaTeX
    };
    private static final String[][] NUMBERS_DIFFERENT = {
        {"42", "43"}, {"-5", "5"}, {"1,2", "12"}, {"1,2", "1.2"}, {"1,23", "123"}, {"1,234,56", "123456"},
        {"1e3", "100"}, {"50%", "5"}, {"0.5", "50"}, {"2 3", "6"}, {"1.2.3", "1.23"},
    };

    private static final String[][] FRACTIONS_EQUAL = {
        {"1/2", "0.5"}, {"\\frac{1}{2}", "0.5"}, {"\\dfrac{3}{4}", "0.75"}, {"\\tfrac{2}{4}", "\\frac{1}{2}"},
        {"\\frac12", "1/2"}, {"\\frac 1 2", "0.5"}, {"\\frac{1}{2}", "\\cfrac{1}{2}"},
        {"-\\frac{3}{4}", "-0.75"}, {"\\frac{-3}{4}", "-\\frac34"}, {"\\frac{\\sqrt{2}}{2}", "\\frac{1}{\\sqrt2}"},
        {"\\frac{49}{49}", "1"}, {"\\frac{6}{4}", "1.5"},
    };
    private static final String[][] FRACTIONS_DIFFERENT = {
        {"\\frac{1}{2}", "\\frac{2}{1}"}, {"-\\frac{3}{4}", "\\frac{3}{4}"}, {"\\frac12", "12"},
        {"1/2", "0.51"}, {"\\frac{1}{3}", "0.3333"},
    };

    private static final String[][] EXPRESSIONS_EQUAL = {
        {"2+3*4", "14"}, {"(2+3)*4", "20"}, {"[2+3]\\cdot 4", "20"}, {"\\left(1+2\\right)^2", "9"},
        {"6 \\div 3", "2"}, {"3 \\times 4", "12"}, {"2^{10}", "1024"}, {"2^10", "1024"}, {"2^3^2", "512"},
        {"2^{-1}", "0.5"}, {"10^{-3}", "0.001"}, {"3(4+1)", "15"}, {"{2}+{3}", "5"}, {"2\\pi", "\\pi+\\pi"},
        {"2\\sqrt{2}", "\\sqrt{8}"}, {"\\sqrt[3]{27}", "3"}, {"\\sqrt[3]{-8}", "-2"}, {"\\sqrt{16}", "4"},
        {"\\sin(\\pi/2)", "1"}, {"\\sin \\frac{\\pi}{2}", "1"}, {"\\cos{0}", "1"}, {"\\cos 0", "1"},
        {"\\ln(\\exp(2))", "2"}, {"\\exp(1)", "\\mathrm{e}"}, {"\\log_2 8", "3"}, {"\\log_{10}(1000)", "3"},
        {"\\tan\\left(\\frac{\\pi}{4}\\right)", "1"}, {"|-3|", "3"}, {"2 \\cdot 3 - 4 / 2", "4"},
        {"-2^2", "-4"}, {"(-2)^2", "4"}, {"\\sin^{-1}(1)", "\\frac{\\pi}{2}"}, {"3 \u2212 1", "2"}, {"3\u00d74", "12"},
        {"\u03c0", "\\pi"}, {"\\sqrt{2}\\sqrt{2}", "2"},
    };
    private static final String[][] EXPRESSIONS_DIFFERENT = {
        {"2+3*4", "20"}, {"2^{10}", "1000"}, {"\\sqrt{2}", "1.41"}, {"\\sin(\\pi/2)", "0"}, {"2\\pi", "6.28"},
        {"-2^2", "4"}, {"\\sqrt[3]{27}", "9"}, {"\\log_2 8", "8"}, {"(2+3)*4", "2+3*4"},
    };

    private static final String[][] VARIABLES_EQUAL = {
        {"2x", "x+x"}, {"x^2", "x \\cdot x"}, {"(x+1)^2", "x^2+2x+1"}, {"x_1 + x_2", "x_{2}+x_{1}"},
        {"\\frac{x}{2}", "0.5x"}, {"0x + 1", "1"}, {"\\sqrt{x^2}", "|x|"}, {"\\alpha + 1", "1 + \\alpha"},
        {"\\sin^2 x + \\cos^2 x", "1"}, {"\\sin 2x", "2\\sin x \\cos x"}, {"\\frac{x^2-1}{x-1}", "x+1"},
        {"x y", "y x"}, {"a(b+c)", "a b + a c"},
        // plain e: tried as a variable and as Euler's number
        {"2e", "e+e"}, {"e", "\\mathrm{e}"}, {"e^2", "\\exp(2)"}, {"\\ln(e)", "1"},
    };
    private static final String[][] VARIABLES_DIFFERENT = {
        {"x", "y"}, {"x^2", "2x"}, {"x_1", "x_2"}, {"\\sqrt{x^2}", "x"}, {"x+1", "x"}, {"X", "x"},
        {"x", "5"}, {"(x+1)^2", "x^2+1"}, {"e", "x"}, {"e", "2.7"}, {"\\alpha", "\\beta"},
        // every sample point is non-finite on both sides -> not equivalent
        {"\\frac{x}{0}", "\\frac{1}{0} x"},
    };

    private static final String[][] EQUATIONS_EQUAL = {
        {"x = 5", "5"}, {"y=2x+1", "2x+1"}, {"y = 2x + 1", "y=1+2x"}, {"x=5", "y=5"}, {"5 = x", "5"},
        {"2x = 4", "4 = 2x"}, {"x = \\frac{1}{2}", "0.5"}, {"x_1 = 3", "3"},
    };
    private static final String[][] EQUATIONS_DIFFERENT = {
        {"x=5", "6"}, {"y=2x+1", "2x-1"}, {"x = 1 = 1", "1"}, {"2x = 4", "4"}, {"2x = 4", "2x = 5"},
    };

    private static final String[][] WRAPPERS_EQUAL = {
        {"$5$", "5"}, {"$$\\frac{1}{2}$$", "0.5"}, {"\\(3\\)", "3"}, {"\\[3\\]", "3"},
        {"\\boxed{\\frac{1}{2}}", "0.5"}, {"\\boxed{{1}+{2}}", "3"}, {"$\\boxed{5}$.", "5"}, {"\\fbox{7}", "7"},
        {"5\\text{ cm}", "5"}, {"5 \\mathrm{cm}", "5"}, {"90^\\circ", "90"}, {"90^{\\circ}", "90"},
        {"90\u00b0", "90"}, {"5.", "5"}, {"\\displaystyle\\frac{1}{2}", "0.5"}, {"\\frac{1}{2}\\,", "0.5"},
        {"x \\! + \\; 1", "x+1"}, {"\\$5", "5"}, {"12\\text{ cm}^2", "12"}, {"12 \\text{cm}^{2}", "12"}, {"\\text{5}", "5"}, {"\\boxed{x = 2}", "2"}, {"  7 ", "7"},
    };
    private static final String[][] WRAPPERS_DIFFERENT = {
        {"\\boxed{5}", "6"}, {"$5$", "$6$"}, {"5\\text{ cm}", "6"}, {"90^\\circ", "45"}, {"\\boxed{5", "5"}, {"12\\text{ cm}^2", "144"},
    };

    private static final String[][] TUPLES_EQUAL = {
        {"(1, 2)", "(1,2)"}, {"(1,2)", "(\\frac{2}{2}, 2.0)"}, {"\\{1, 2\\}", "\\{2, 1\\}"}, {"{1,2}", "{2,1}"},
        {"1, 2", "\\{2, 1\\}"}, {"(x, 2x)", "(x, x+x)"}, {"[1,2]", "[1, 2]"}, {"\\left(1, 2\\right)", "(1,2)"},
        {"((1,2),(3,4))", "((1, 2), (3, 4))"}, {"x=1, y=2", "(1, 2)"},
    };
    private static final String[][] TUPLES_DIFFERENT = {
        {"(1,2)", "(2,1)"}, {"(1,2)", "(1,2,3)"}, {"\\{1,2\\}", "\\{1,3\\}"}, {"(1,2)", "[1,2]"},
        {"(1,2)", "\\{1,2\\}"}, {"(1,2)", "3"}, {"1,2", "2,1"}, {"\\{1,1\\}", "\\{1,2\\}"}, {"\\{1,2\\}", "\\{1\\}"},
    };

    private static final String[][] FALLBACK_EQUAL = {
        {"\\text{red}", "RED"}, {"no solution", "No  Solution"}, {"(0, 1]", "(0,1]"}, {"\\infty", " \\infty"},
        {"1e400", "1E400"}, {"x \\le 5", "x\\le5"}, {"xy", "xy"},
    };
    private static final String[][] FALLBACK_DIFFERENT = {
        {"red", "blue"}, {"\\text{red}", "\\text{blue}"}, {"(0,1]", "[0,1]"}, {"1e400", "1e401"},
        {"1e400", "\\infty"}, {"\\frac{1}{0}", "1/0"}, {"red", "der"}, {"xy", "yx"}, {"5 cm", "5"},
    };

    private static final String[][] TOLERANCE_EQUAL = {
        {"0.333333333", "1/3"}, {"0.3333333", "\\frac13"}, {"3.14159265", "\\pi"}, {"0.1+0.2", "0.3"},
        {"1.0000001", "1"}, {"2.9999999999", "3"}, {"1e-12", "0"},
    };
    private static final String[][] TOLERANCE_DIFFERENT = {
        {"0.33", "1/3"}, {"3.14", "\\pi"}, {"0.0000001", "0.0000002"}, {"1000000", "1000001"},
        {"1.00001", "1"}, {"0.33333", "\\frac{1}{3}"},
    };

    @Test
    void plainNumbers() {
        check(NUMBERS_EQUAL, NUMBERS_DIFFERENT);
    }

    @Test
    void fractions() {
        check(FRACTIONS_EQUAL, FRACTIONS_DIFFERENT);
    }

    @Test
    void simpleExpressions() {
        check(EXPRESSIONS_EQUAL, EXPRESSIONS_DIFFERENT);
    }

    @Test
    void expressionsWithVariables() {
        check(VARIABLES_EQUAL, VARIABLES_DIFFERENT);
    }

    @Test
    void equationsCompareTheirRightHandSide() {
        check(EQUATIONS_EQUAL, EQUATIONS_DIFFERENT);
    }

    @Test
    void wrappersAreStripped() {
        check(WRAPPERS_EQUAL, WRAPPERS_DIFFERENT);
    }

    @Test
    void tuplesAndSets() {
        check(TUPLES_EQUAL, TUPLES_DIFFERENT);
    }

    @Test
    void unparseableAnswersFallBackToLooseStringComparison() {
        check(FALLBACK_EQUAL, FALLBACK_DIFFERENT);
    }

    @Test
    void numericTolerance() {
        check(TOLERANCE_EQUAL, TOLERANCE_DIFFERENT);
    }

    @Test
    void symmetry() {
        String[][][] tables = {NUMBERS_EQUAL, NUMBERS_DIFFERENT, FRACTIONS_EQUAL, FRACTIONS_DIFFERENT,
            EXPRESSIONS_EQUAL, EXPRESSIONS_DIFFERENT, VARIABLES_EQUAL, VARIABLES_DIFFERENT, EQUATIONS_EQUAL,
            EQUATIONS_DIFFERENT, WRAPPERS_EQUAL, WRAPPERS_DIFFERENT, TUPLES_EQUAL, TUPLES_DIFFERENT,
            FALLBACK_EQUAL, FALLBACK_DIFFERENT, TOLERANCE_EQUAL, TOLERANCE_DIFFERENT};
        int pairs = 0;
        for (String[][] table : tables) {
            for (String[] pair : table) {
                assertEquals(MathEquivalence.equivalent(pair[0], pair[1]), MathEquivalence.equivalent(pair[1], pair[0]),
                        () -> "asymmetric: " + pair[0] + " | " + pair[1]);
                pairs++;
            }
        }
        assertTrue(pairs > 200);
    }

    @Test
    void scoreIsOneOrZeroAndNullOrBlankIsNeverEquivalent() {
        assertEquals(1.0, MathEquivalence.score("\\frac{1}{2}", "0.5"));
        assertEquals(0.0, MathEquivalence.score("1", "2"));
        assertEquals(0.0, MathEquivalence.score(null, null));
        assertEquals(0.0, MathEquivalence.score(null, "1"));
        assertEquals(0.0, MathEquivalence.score("1", null));
        assertEquals(0.0, MathEquivalence.score("", ""));
        assertEquals(0.0, MathEquivalence.score("  ", "  "));
        assertEquals(0.0, MathEquivalence.score("$$", "$$"));
        assertEquals(0.0, MathEquivalence.score("\\boxed{}", "\\boxed{}"));
    }

    @Test
    void lengthCapSendsLongAnswersToTheStringFallback() {
        String sum = "1+".repeat(4999) + "1"; // 9,999 chars: parsed
        assertTrue(sum.length() <= MathEquivalence.MAX_PARSE_LENGTH);
        assertTrue(MathEquivalence.equivalent(sum, "5000"));
        String longer = "1+".repeat(5000) + "1"; // 10,001 chars: string comparison only
        assertFalse(MathEquivalence.equivalent(longer, "5001"));
        assertTrue(MathEquivalence.equivalent(longer, longer + " "));
    }

    @Test
    void largeSetsMatchAndNestedSetWorkIsCapped() {
        StringBuilder forward = new StringBuilder("\\{");
        StringBuilder backward = new StringBuilder("\\{");
        for (int i = 0; i < MathParser.MAX_ITEMS; i++) {
            String sep = i == 0 ? "" : ",";
            forward.append(sep).append(i);
            backward.append(sep).append(MathParser.MAX_ITEMS - 1 - i);
        }
        assertTrue(MathEquivalence.equivalent(forward + "\\}", backward + "\\}"));
        assertFalse(MathEquivalence.equivalent("\\{1000" + forward.substring(3) + "\\}", backward + "\\}"));
        // Sets of sets that almost match force a quadratic-of-quadratic search; it must stay bounded.
        StringBuilder a = new StringBuilder("\\{");
        StringBuilder b = new StringBuilder("\\{");
        for (int k = 0; k < 150; k++) {
            String sep = k == 0 ? "" : ",";
            a.append(sep).append("\\{");
            b.append(sep).append("\\{");
            for (int i = 0; i < 10; i++) {
                a.append(i == 0 ? "" : ",").append("x+").append(i == 9 ? 9 + k : i);
                b.append(i == 0 ? "" : ",").append("x+").append(i == 0 ? 9 + 149 - k + (k == 0 ? 1000 : 0) : 9 - i);
            }
            a.append("\\}");
            b.append("\\}");
        }
        String left = a.append("\\}").toString();
        String right = b.append("\\}").toString();
        assertTrue(left.length() <= MathEquivalence.MAX_PARSE_LENGTH);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertFalse(MathEquivalence.equivalent(left, right)));
    }

    @Test
    void nestingIsCappedNotOverflowed() {
        assertTrue(MathEquivalence.equivalent("(".repeat(150) + "1" + ")".repeat(150), "1"));
        assertTrue(MathEquivalence.equivalent("{".repeat(150) + "x" + "}".repeat(150), "x"));
        // Deeper than the cap: unparseable, so only the string fallback applies.
        assertFalse(MathEquivalence.equivalent("(".repeat(300) + "1" + ")".repeat(300), "1"));
        assertFalse(MathEquivalence.equivalent("-".repeat(300) + "1", "1"));
        assertFalse(MathEquivalence.equivalent("2^".repeat(300) + "1", "2"));
        for (String open : List.of("(", "{", "[", "\\frac{", "\\sqrt{", "\\boxed{", "|", "-", "x^{", "\\sin(")) {
            String deep = open.repeat(10_000) + "1";
            assertFalse(MathEquivalence.equivalent(deep, "1"), open);
            assertTrue(MathEquivalence.equivalent(deep, deep), open);
        }
    }

    @Test
    void capDepthFitsInHalfTheDefaultThreadStack() throws InterruptedException {
        String deep = "\\frac{".repeat(MathParser.MAX_DEPTH - 5) + "1" + "}{1}".repeat(MathParser.MAX_DEPTH - 5);
        runWithStack(512 * 1024, () -> {
            assertTrue(MathEquivalence.equivalent(deep, "1"));
            assertTrue(MathEquivalence.equivalent("(".repeat(190) + "1" + ")".repeat(190), "1"));
            assertFalse(MathEquivalence.equivalent("(".repeat(5_000) + "1" + ")".repeat(5_000), "1"));
        });
        // On a tiny stack the cap is not enough, but the contract still holds: no throw.
        runWithStack(96 * 1024, () -> assertFalse(MathEquivalence.equivalent(deep, "2")));
    }

    private static void runWithStack(long bytes, Runnable body) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "stack-" + bytes, bytes);
        thread.start();
        thread.join();
        if (failure.get() != null) {
            fail(failure.get());
        }
    }

    @Test
    void malformedInputNeverThrows() {
        List<String> inputs = new ArrayList<>(List.of("\\frac{{{{", "\\sqrt[", "\\sqrt[3", "}}}}", "((((", "$", "\\",
                "\\boxed{", "\\text{", "\\text{a} \\text{", "^", "_", "x_", "x_{", "x_{1", "1e", "1e+", ".", ",", "=",
                "==", "%", "%%", "50%%", "\\left(", "\\frac", "\\frac1", "\\sqrt[3]", "\u0000\u0001\u0007", "\uD800",
                "1,,2", "()", "[]", "{}", "\\{\\}", "|", "||", "\\log_", "\\sin^", "\\mathrm{", "\\mathrm{}", "1/0",
                "0/0", "0^0", "x/0", "\\ln(0)", "\\sqrt{-1}", "1e99999999999999999999", "1e-400", "\\frac{1}{x-x}",
                "\\sin", "\\pi^", "(1,2]", "\\{1,2)", "x=", "=x", "\\%", "\\,", "\\left.", "\u00b0", "\\circ", "1,234,"));
        inputs.add(null);
        inputs.add("");
        for (String a : inputs) {
            for (String b : List.of("1", "x", "(1,2)", "0")) {
                double forward = MathEquivalence.score(a, b);
                assertTrue(forward == 0.0 || forward == 1.0);
                assertEquals(forward, MathEquivalence.score(b, a), a + " | " + b);
            }
            MathEquivalence.score(a, a);
        }
    }

    @Test
    void fuzzNeverThrowsAndIsSymmetricAndReflexive() {
        String[] alphabet = {"\\frac", "\\dfrac", "{", "}", "(", ")", "^", "_", "0", "1", "2", "7", "9", "x", "y", "e",
            "\\sqrt", "[", "]", "=", ",", ".", "%", "\\%", "\\boxed", "\\text", " ", "+", "-", "*", "/", "|", "$",
            "\\left", "\\right", "\\pi", "\\sin", "\\log", "\\cdot", "\\{", "\\}", "\\,", "e5", "\u00b0", "^\\circ",
            "\\mathrm", "\u0000", "\u0007", "\n", "\uD83D", "\u00e9", "\u03c0", "\u2212", "\\", "\\alpha"};
        Random random = new Random(12345);
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int tokens = random.nextInt(16);
            for (int t = 0; t < tokens; t++) {
                if (random.nextInt(20) == 0) {
                    sb.append((char) random.nextInt(0x3000));
                } else {
                    sb.append(alphabet[random.nextInt(alphabet.length)]);
                }
            }
            samples.add(sb.toString());
        }
        int equivalentPairs = 0;
        for (int i = 0; i < samples.size(); i++) {
            String a = samples.get(i);
            String b = samples.get(random.nextInt(samples.size()));
            double score = MathEquivalence.score(a, b);
            assertTrue(score == 0.0 || score == 1.0);
            assertEquals(score, MathEquivalence.score(b, a), () -> "asymmetric: " + a + " | " + b);
            boolean blank = MathEquivalence.unwrap(a).isEmpty();
            assertEquals(!blank, MathEquivalence.equivalent(a, a), () -> "not reflexive: " + a);
            equivalentPairs += (int) score;
        }
        assertTrue(equivalentPairs < samples.size());
    }

    @Test
    void megabyteAdversarialInputsComplete() {
        int mb = 1 << 20;
        List<String> inputs = List.of("(".repeat(mb), "\\frac{".repeat(mb / 6), "{".repeat(mb / 2) + "}".repeat(mb / 2),
                "$".repeat(mb), ".".repeat(mb), "\\boxed{".repeat(mb / 7) + "1" + "}".repeat(mb / 7),
                "1+".repeat(mb / 2) + "1", "1,234".repeat(mb / 5), "\\text{".repeat(mb / 6), "x".repeat(mb),
                "\\" + "a".repeat(mb), "9".repeat(mb), "\\sqrt[".repeat(mb / 6), " ".repeat(mb) + "1");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (String input : inputs) {
                assertEquals(MathEquivalence.equivalent(input, "1"), MathEquivalence.equivalent("1", input));
                assertTrue(MathEquivalence.equivalent(input, input + " "));
            }
        });
        assertTrue(MathEquivalence.equivalent(" ".repeat(mb) + "1", "1"));
    }

    private static void check(String[][] equal, String[][] different) {
        for (String[] pair : equal) {
            assertTrue(MathEquivalence.equivalent(pair[0], pair[1]), () -> "expected equal: " + pair[0] + " | " + pair[1]);
            assertTrue(MathEquivalence.equivalent(pair[1], pair[0]), () -> "expected equal: " + pair[1] + " | " + pair[0]);
            assertEquals(1.0, MathEquivalence.score(pair[0], pair[1]));
        }
        for (String[] pair : different) {
            assertFalse(MathEquivalence.equivalent(pair[0], pair[1]), () -> "expected different: " + pair[0] + " | " + pair[1]);
            assertFalse(MathEquivalence.equivalent(pair[1], pair[0]), () -> "expected different: " + pair[1] + " | " + pair[0]);
            assertEquals(0.0, MathEquivalence.score(pair[0], pair[1]));
        }
    }
}
