package ai.videorl.common.metric;

import ai.videorl.common.metric.MathExpression.Env;
import ai.videorl.common.metric.MathExpression.Equation;
import ai.videorl.common.metric.MathExpression.Kind;
import ai.videorl.common.metric.MathExpression.Tuple;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code math} task metric: whether a predicted answer is mathematically equivalent to the
 * ground truth. The paper's reference uses Python's {@code math_verify} (sympy); this is a small,
 * pure-JDK approximation of it with bounded cost. It never throws, and a null or blank answer
 * (on either side) is never equivalent.
 *
 * <p><b>1. Unwrap.</b> Up to ten layers of surrounding {@code $...$}, {@code $$...$$},
 * {@code \(...\)}, {@code \[...\]}, {@code \boxed{...}}, {@code \fbox{...}}, a whole-answer
 * {@code \text{...}} (also {@code \textrm}, {@code \textbf}, {@code \mbox}), a leading
 * {@code \displaystyle} and a trailing period are removed. If the two unwrapped answers are equal
 * once whitespace is removed, they are equivalent.
 *
 * <p><b>2. Parse</b> (only answers of at most {@value #MAX_PARSE_LENGTH} characters after
 * unwrapping; longer ones go straight to the string fallback, which bounds the work). Units text
 * inside an answer ({@code 5\text{ cm}}, {@code 5\text{ cm}^2}), currency {@code \$}, degree
 * marks ({@code ^\circ}, {@code ^{\circ}}, the degree sign) and spacing commands
 * ({@code \, \! \; \quad \left \right}) are dropped. Supported:
 * numbers with sign, decimals, {@code 1e3}, thousands separators ({@code 1,234,567}: only outside
 * brackets and only when every group has exactly three digits, so {@code 1,2} is a pair);
 * {@code + - * / ^ \cdot \times \div}; grouping by {@code () [] {}}; implicit multiplication
 * ({@code 2x}, {@code 2\pi}, {@code 3(4+1)}), never between two numbers; {@code \frac} and its
 * {@code d}/{@code t}/{@code c} variants, including {@code \frac12}; {@code \sqrt{x}},
 * {@code \sqrt[n]{x}}; {@code |x|}; {@code \sin \cos \tan \ln \log \exp} and friends, with or
 * without brackets ({@code \log} is natural, as in sympy; {@code \log_b} has base b);
 * {@code \pi}; single-letter variables, Greek letters and subscripts ({@code x_1 = x_{1}});
 * {@code %} and {@code \%}. A multi-letter word such as {@code red} is not a product of
 * variables: it does not parse. Nesting deeper than 200 levels does not parse.
 * A top-level comma list is a tuple; {@code x = 5} (or {@code 5 = x}) means 5, any other
 * equation is compared side by side.
 *
 * <p><b>3. Compare.</b> Without variables, both values are computed in doubles: two exact
 * integers (below 2^53) must be equal, anything else must satisfy
 * {@code |a - b| <= 1e-9 + 1e-6 * max(|a|, |b|)}. So {@code 0.333333333 == 1/3} but
 * {@code 0.33 != 1/3}, and {@code 1000000 != 1000001}. With variables, both sides are evaluated at
 * {@value #POINTS} points drawn from a fixed seed (the union of both sides' variables gets values);
 * points where either side is not finite are skipped, any disagreement means not equivalent, and
 * so does having no usable point. Tuples compare elementwise and must have the same bracket kind
 * ({@code (1,2) != [1,2]}); sets {@code \{1,2\}} compare ignoring order (no deduplication); a bare
 * list {@code 1, 2} matches either. At most 50,000 element comparisons are spent on one pair
 * (nested sets are quadratic); a pair needing more is judged not equivalent.
 *
 * <p><b>Fallback.</b> If either side does not parse, or a side is a constant that is not finite
 * ({@code 1e400}, {@code 1/0}), the unwrapped strings are compared with whitespace removed and
 * case folded: {@code \text{Red}} equals {@code red}.
 *
 * <p><b>Deliberate choices and differences from math_verify.</b>
 * <ul>
 *   <li>Percent: like math_verify, {@code 50%} equals both {@code 0.5} and {@code 50}: a comparison
 *       succeeds if it holds with every {@code %} read as /100, or with every {@code %} ignored.
 *   <li>{@code e}: a plain {@code e} is tried both as a variable and as Euler's number (the answer
 *       is equivalent if either reading works); {@code \mathrm{e}} and {@code \exp} are always
 *       Euler's number.
 *   <li>Tolerance is a fixed relative 1e-6 (exact for integers), not math_verify's rounding to
 *       the precision written.
 *   <li>Only the subset above is understood: no intervals, inequalities, matrices, calculus, or
 *       symbolic simplification beyond numeric evaluation; those fall back to string comparison.
 * </ul>
 */
public final class MathEquivalence {
    /** Longer answers (after unwrapping) are not parsed, only string-compared. */
    static final int MAX_PARSE_LENGTH = 10_000;
    static final int POINTS = 10;
    private static final int MAX_UNWRAP = 10;
    private static final int MAX_VALUE_COMPARISONS = 50_000;
    private static final double RELATIVE_TOLERANCE = 1e-6;
    private static final double ABSOLUTE_TOLERANCE = 1e-9;
    private static final double EXACT_INTEGER_LIMIT = 9007199254740992.0; // 2^53
    private static final long SEED = 20240521L;
    private static final List<String> WRAPPERS =
            List.of("\\boxed", "\\fbox", "\\text", "\\textrm", "\\textbf", "\\mbox");
    /** Text inside an answer is units; single upright letters are kept (\mathrm{e} is Euler). */
    private static final List<String> TEXT_COMMANDS = List.of(
            "\\text", "\\textrm", "\\textit", "\\textbf", "\\mbox", "\\mathrm", "\\mathit", "\\mathbf");

    private MathEquivalence() {}

    /** 1.0 if equivalent, else 0.0. Never throws, for any input strings (null counts as empty -> 0.0). */
    public static double score(String predicted, String truth) {
        return equivalent(predicted, truth) ? 1.0 : 0.0;
    }

    /** See the class comment for the rules. Never throws; null counts as empty, which is never equivalent. */
    public static boolean equivalent(String predicted, String truth) {
        try {
            return decide(predicted == null ? "" : predicted, truth == null ? "" : truth);
        } catch (RuntimeException | StackOverflowError e) {
            // Defensive: a metric must not fail a rollout. Parse errors are handled in tryParse, and
            // the depth cap needs ~400 KB of stack (JVM default 1 MB); this covers tinier stacks.
            return false;
        }
    }

    private static boolean decide(String predicted, String truth) {
        String a = unwrap(predicted);
        String b = unwrap(truth);
        if (a.isEmpty() || b.isEmpty()) {
            return false;
        }
        if (withoutWhitespace(a).equals(withoutWhitespace(b))) {
            return true;
        }
        MathExpression x = tryParse(a);
        MathExpression y = tryParse(b);
        if (x == null || y == null) {
            return withoutWhitespace(a).toLowerCase(Locale.ROOT).equals(withoutWhitespace(b).toLowerCase(Locale.ROOT));
        }
        Set<String> variables = new TreeSet<>();
        x.collectVariables(variables);
        y.collectVariables(variables);
        boolean percent = a.indexOf('%') >= 0 || b.indexOf('%') >= 0;
        return new Comparer().underSomeReading(x, y, percent, variables.contains("e"));
    }

    /** Null when the text is too long, outside the supported subset, or a non-finite constant. */
    private static MathExpression tryParse(String text) {
        if (text.length() > MAX_PARSE_LENGTH) {
            return null;
        }
        String cleaned = dropUnitsAndDegrees(text);
        if (cleaned == null || cleaned.isBlank()) {
            return null;
        }
        MathExpression parsed;
        try {
            parsed = MathParser.parse(cleaned);
        } catch (RuntimeException | StackOverflowError e) {
            return null; // an overflow can only come from an unusually small thread stack
        }
        Set<String> variables = new TreeSet<>();
        parsed.collectVariables(variables);
        boolean scalar = !(parsed instanceof Tuple) && !(parsed instanceof Equation);
        if (scalar && variables.isEmpty() && !Double.isFinite(parsed.eval(new Env(Map.of(), true)))) {
            return null;
        }
        return parsed;
    }

    /**
     * Compares two parsed answers under one reading of {@code %} and {@code e} at a time. Set
     * matching is quadratic and sets nest, so the number of value comparisons is capped; an
     * answer pair that needs more is judged not equivalent.
     */
    private static final class Comparer {
        private int budget = MAX_VALUE_COMPARISONS;
        private boolean percentDivides;
        private boolean euler;

        boolean underSomeReading(MathExpression x, MathExpression y, boolean percent, boolean plainE) {
            for (boolean divides : percent ? new boolean[] {true, false} : new boolean[] {true}) {
                for (boolean e : plainE ? new boolean[] {false, true} : new boolean[] {false}) {
                    percentDivides = divides;
                    euler = e;
                    if (same(x, y)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private boolean same(MathExpression a, MathExpression b) {
            if (a instanceof Tuple ta && b instanceof Tuple tb) {
                return sameTuple(ta, tb);
            }
            if (a instanceof Equation ea && b instanceof Equation eb) {
                return same(ea.lhs(), eb.lhs()) && same(ea.rhs(), eb.rhs())
                        || same(ea.lhs(), eb.rhs()) && same(ea.rhs(), eb.lhs());
            }
            if (a instanceof Tuple || b instanceof Tuple || a instanceof Equation || b instanceof Equation) {
                return false;
            }
            return sameValue(a, b);
        }

        private boolean sameTuple(Tuple a, Tuple b) {
            int size = a.items().size();
            if (size != b.items().size()
                    || (a.kind() != Kind.BARE && b.kind() != Kind.BARE && a.kind() != b.kind())) {
                return false;
            }
            if (a.kind() != Kind.SET && b.kind() != Kind.SET) {
                for (int i = 0; i < size; i++) {
                    if (!same(a.items().get(i), b.items().get(i))) {
                        return false;
                    }
                }
                return true;
            }
            // Greedy matching: exact for values that are equal or clearly apart, which is all we need.
            boolean[] used = new boolean[size];
            for (MathExpression item : a.items()) {
                int match = -1;
                for (int j = 0; j < size && match < 0; j++) {
                    if (!used[j] && same(item, b.items().get(j))) {
                        match = j;
                    }
                }
                if (match < 0) {
                    return false;
                }
                used[match] = true;
            }
            return true;
        }

        private boolean sameValue(MathExpression a, MathExpression b) {
            if (--budget < 0) {
                return false;
            }
            Set<String> names = new TreeSet<>(); // sorted, so both argument orders draw the same points
            a.collectVariables(names);
            b.collectVariables(names);
            Map<String, Double> values = new HashMap<>();
            if (euler && names.remove("e")) {
                values.put("e", Math.E);
            }
            Env env = new Env(values, percentDivides);
            if (names.isEmpty()) {
                double x = a.eval(env);
                double y = b.eval(env);
                return Double.isFinite(x) && Double.isFinite(y) && close(x, y, true);
            }
            Random random = new Random(SEED);
            int usable = 0;
            for (int i = 0; i < POINTS; i++) {
                for (String name : names) {
                    double magnitude = 0.1 + 4.9 * random.nextDouble();
                    values.put(name, random.nextBoolean() ? magnitude : -magnitude);
                }
                double x = a.eval(env);
                double y = b.eval(env);
                if (!Double.isFinite(x) || !Double.isFinite(y)) {
                    continue;
                }
                if (!close(x, y, false)) {
                    return false;
                }
                usable++;
            }
            return usable > 0;
        }
    }

    static boolean close(double x, double y, boolean exactIntegers) {
        if (exactIntegers && isExactInteger(x) && isExactInteger(y)) {
            return x == y; // a relative tolerance would call 1000000 and 1000001 equal
        }
        return Math.abs(x - y) <= ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * Math.max(Math.abs(x), Math.abs(y));
    }

    private static boolean isExactInteger(double v) {
        return v == Math.rint(v) && Math.abs(v) <= EXACT_INTEGER_LIMIT;
    }

    /** Removes surrounding delimiters and boxes; each layer costs one linear pass. */
    static String unwrap(String text) {
        String s = text.trim();
        for (int round = 0; round < MAX_UNWRAP; round++) {
            String next = unwrapOnce(s).trim();
            if (next.length() == s.length()) {
                return s;
            }
            s = next;
        }
        return s;
    }

    private static String unwrapOnce(String s) {
        int len = s.length();
        if (len >= 2 && s.charAt(0) == '$' && s.charAt(len - 1) == '$') {
            return s.substring(1, len - 1);
        }
        if (len >= 4 && (s.startsWith("\\(") && s.endsWith("\\)") || s.startsWith("\\[") && s.endsWith("\\]"))) {
            return s.substring(2, len - 2);
        }
        if (s.endsWith(".")) {
            return s.substring(0, len - 1);
        }
        if (startsWithCommand(s, 0, "\\displaystyle")) {
            return s.substring("\\displaystyle".length());
        }
        for (String wrapper : WRAPPERS) {
            if (startsWithCommand(s, 0, wrapper)) {
                int open = skipWhitespace(s, wrapper.length());
                if (open < len && s.charAt(open) == '{' && matchingBrace(s, open) == len - 1) {
                    return s.substring(open + 1, len - 1);
                }
            }
        }
        return s;
    }

    /** Null if a text command's braces do not close. */
    private static String dropUnitsAndDegrees(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (s.startsWith("^\\circ", i) || s.startsWith("^{\\circ}", i)) {
                i += s.charAt(i + 1) == '{' ? 8 : 6;
                continue;
            }
            if (startsWithCommand(s, i, "\\circ") || startsWithCommand(s, i, "\\degree")) {
                i += s.startsWith("\\circ", i) ? 5 : 7;
                continue;
            }
            if (s.startsWith("\\$", i)) { // currency
                i += 2;
                continue;
            }
            String text = c == '\\' ? textCommandAt(s, i) : null;
            if (text != null) {
                int open = skipWhitespace(s, i + text.length());
                int close = open < s.length() && s.charAt(open) == '{' ? matchingBrace(s, open) : -1;
                if (close < 0) {
                    return null;
                }
                boolean keep = text.startsWith("\\math") && s.substring(open + 1, close).trim().length() == 1;
                out.append(keep ? s.substring(i, close + 1) : " ");
                i = keep ? close + 1 : skipUnitExponent(s, close + 1);
                continue;
            }
            switch (c) {
                case '\u00b0':
                    break;
                case '\u2212': // Unicode minus
                case '\u2013':
                    out.append('-');
                    break;
                case '\u00d7':
                case '\u00b7':
                case '\u22c5':
                    out.append('*');
                    break;
                case '\u00f7':
                    out.append('/');
                    break;
                case '\u03c0':
                    out.append("\\pi ");
                    break;
                default:
                    out.append(c);
            }
            i++;
        }
        return out.toString();
    }

    /** In "\\text{cm}^2" the exponent belongs to the dropped unit, not to the number before it. */
    private static int skipUnitExponent(String s, int from) {
        int caret = skipWhitespace(s, from);
        if (caret >= s.length() || s.charAt(caret) != '^') {
            return from;
        }
        int arg = skipWhitespace(s, caret + 1);
        if (arg >= s.length()) {
            return from;
        }
        if (s.charAt(arg) != '{') {
            return arg + 1;
        }
        int close = matchingBrace(s, arg);
        return close < 0 ? from : close + 1;
    }

    private static String textCommandAt(String s, int i) {
        for (String command : TEXT_COMMANDS) {
            if (startsWithCommand(s, i, command)) {
                return command;
            }
        }
        return null;
    }

    private static boolean startsWithCommand(String s, int i, String command) {
        int end = i + command.length();
        return s.startsWith(command, i) && (end >= s.length() || !Character.isLetter(s.charAt(end)));
    }

    /** Index of the brace closing the one at {@code open}, or -1; escaped braces do not count. */
    static int matchingBrace(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static int skipWhitespace(String s, int from) {
        int i = from;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static String withoutWhitespace(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isWhitespace(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
