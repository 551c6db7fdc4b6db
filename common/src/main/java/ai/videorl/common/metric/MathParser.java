package ai.videorl.common.metric;

import ai.videorl.common.metric.MathExpression.Equation;
import ai.videorl.common.metric.MathExpression.Func;
import ai.videorl.common.metric.MathExpression.Kind;
import ai.videorl.common.metric.MathExpression.Neg;
import ai.videorl.common.metric.MathExpression.Num;
import ai.videorl.common.metric.MathExpression.Percent;
import ai.videorl.common.metric.MathExpression.Pow;
import ai.videorl.common.metric.MathExpression.Product;
import ai.videorl.common.metric.MathExpression.Recip;
import ai.videorl.common.metric.MathExpression.Root;
import ai.videorl.common.metric.MathExpression.Sum;
import ai.videorl.common.metric.MathExpression.Tuple;
import ai.videorl.common.metric.MathExpression.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser for the small LaTeX / plain-text math subset described on
 * {@link MathEquivalence}. Scannerless, so that {@code \frac12} can take single-character
 * arguments. Every recursive path passes {@link #enter()}, so nesting deeper than
 * {@link #MAX_DEPTH} is rejected instead of overflowing the stack; each character is looked at a
 * bounded number of times, so parsing is linear in the input length.
 */
final class MathParser {
    static final int MAX_DEPTH = 200;
    /** Bounds the quadratic set matching done by the comparer. */
    static final int MAX_ITEMS = 256;

    /** Any input the parser declines. Control flow, not an error: shared and stackless. */
    static final class Unparseable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private Unparseable() {
            super("unparseable", null, false, false);
        }
    }

    private static final Unparseable FAIL = new Unparseable();

    private static final Set<String> FUNCTIONS = Set.of("sin", "cos", "tan", "cot", "sec", "csc",
            "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "ln", "log", "exp", "sqrt", "abs");
    private static final Set<String> FRACTIONS = Set.of("frac", "dfrac", "tfrac", "cfrac");
    private static final Set<String> UPRIGHT = Set.of("mathrm", "mathit", "mathbf");
    private static final Set<String> GREEK = Set.of("alpha", "beta", "gamma", "delta", "epsilon",
            "varepsilon", "zeta", "eta", "theta", "vartheta", "iota", "kappa", "lambda", "mu", "nu",
            "xi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma",
            "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega");
    /** Layout-only commands, skipped like whitespace. */
    private static final Set<String> IGNORED = Set.of("left", "right", "displaystyle", "textstyle",
            "quad", "qquad", "big", "Big", "bigl", "bigr", "Bigl", "Bigr");

    private final String s;
    private final int n;
    private int pos;
    private int depth;
    /** Inside ( [ { groups a comma separates items, so "1,234" there is not a thousands number. */
    private int groupDepth;

    private MathParser(String s) {
        this.s = s;
        this.n = s.length();
    }

    /** @throws Unparseable if the text is outside the supported subset */
    static MathExpression parse(String text) {
        MathParser parser = new MathParser(text);
        MathExpression result = parser.list(Kind.BARE);
        parser.skipSpace();
        require(parser.pos == parser.n);
        return result;
    }

    private MathExpression list(Kind kind) {
        List<MathExpression> items = new ArrayList<>();
        items.add(item());
        while (skipSpace() == ',') {
            require(items.size() < MAX_ITEMS);
            pos++;
            items.add(item());
        }
        return items.size() == 1 ? items.get(0) : new Tuple(kind, items);
    }

    /** {@code x = 5} and {@code 5 = x} mean the answer 5; other equations stay equations. */
    private MathExpression item() {
        MathExpression lhs = expr();
        if (skipSpace() != '=') {
            return lhs;
        }
        pos++;
        MathExpression rhs = expr();
        require(skipSpace() != '=');
        if (lhs instanceof Var && !(rhs instanceof Var)) {
            return rhs;
        }
        if (rhs instanceof Var && !(lhs instanceof Var)) {
            return lhs;
        }
        return new Equation(lhs, rhs);
    }

    private MathExpression expr() {
        List<MathExpression> terms = new ArrayList<>();
        terms.add(term());
        for (char c = skipSpace(); c == '+' || c == '-'; c = skipSpace()) {
            pos++;
            MathExpression t = scalar(term());
            terms.add(c == '-' ? new Neg(t) : t);
        }
        return terms.size() == 1 ? terms.get(0) : new Sum(scalars(terms));
    }

    private MathExpression term() {
        List<MathExpression> factors = new ArrayList<>();
        factors.add(unary());
        while (true) {
            char c = skipSpace();
            if (c == '*' || atCommand("cdot") || atCommand("times") || atCommand("ast")) {
                skipOperator();
                factors.add(unary());
            } else if (c == '/' || atCommand("div")) {
                skipOperator();
                factors.add(new Recip(scalar(unary())));
            } else if (startsImplicitFactor()) {
                factors.add(power());
            } else {
                break;
            }
        }
        return factors.size() == 1 ? factors.get(0) : new Product(scalars(factors));
    }

    private MathExpression unary() {
        char c = skipSpace();
        if (c != '-' && c != '+') {
            return power();
        }
        pos++;
        enter();
        MathExpression operand = scalar(unary());
        depth--;
        return c == '-' ? new Neg(operand) : operand;
    }

    private MathExpression power() {
        MathExpression base = postfix();
        if (skipSpace() != '^') {
            return base;
        }
        pos++;
        enter();
        MathExpression exponent = exponent();
        depth--;
        return new Pow(scalar(base), exponent);
    }

    /** Plain-text style {@code 2^10} reads the whole number; {@code 2^3^2} is right-associative. */
    private MathExpression exponent() {
        char c = skipSpace();
        if (c == '{') {
            return braced();
        }
        if (c == '-' || c == '+') {
            pos++;
            enter();
            MathExpression e = exponent();
            depth--;
            return c == '-' ? new Neg(e) : e;
        }
        return scalar(power());
    }

    private MathExpression postfix() {
        MathExpression e = primary();
        char c = skipSpace();
        if (c == '%') {
            pos++;
        } else if (s.startsWith("\\%", pos)) {
            pos += 2;
        } else {
            return e;
        }
        return new Percent(scalar(e));
    }

    private MathExpression primary() {
        char c = skipSpace();
        if (isDigit(c) || c == '.') {
            return number();
        }
        if (isLetter(c)) {
            return word();
        }
        if (c == '\\') {
            return command();
        }
        if (c == '|') {
            pos++;
            enter();
            MathExpression inner = scalar(expr());
            expect("|");
            depth--;
            return new Func("abs", inner);
        }
        pos++;
        switch (c) {
            case '(':
                return group(")", Kind.PAREN);
            case '[':
                return group("]", Kind.BRACKET);
            case '{':
                return group("}", Kind.SET);
            default:
                throw FAIL;
        }
    }

    /** A bracketed single expression is grouping; with commas it is a tuple or set. */
    private MathExpression group(String closer, Kind kind) {
        enter();
        groupDepth++;
        MathExpression inner = list(kind);
        expect(closer);
        groupDepth--;
        depth--;
        return inner;
    }

    private MathExpression number() {
        StringBuilder text = new StringBuilder();
        int i = digitsEnd(pos);
        text.append(s, pos, i);
        if (groupDepth == 0 && i - pos >= 1 && i - pos <= 3) {
            i = thousands(i, text);
        }
        if (i < n && s.charAt(i) == '.') {
            int end = digitsEnd(i + 1);
            text.append(s, i, end);
            i = end;
        }
        require(text.length() > 0 && !text.toString().equals("."));
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int start = i + 1 < n && (s.charAt(i + 1) == '+' || s.charAt(i + 1) == '-') ? i + 2 : i + 1;
            int end = digitsEnd(start);
            if (end > start) { // otherwise the 'e' is a variable: 2e is 2 times e
                text.append('e').append(s, i + 1, end);
                i = end;
            }
        }
        pos = i;
        return new Num(Double.parseDouble(text.toString()));
    }

    /** Consumes ",ddd" groups, but only when the whole run is well formed: "1,23" is a pair. */
    private int thousands(int i, StringBuilder text) {
        int j = i;
        while (j < n && s.charAt(j) == ',' && digitsEnd(j + 1) == j + 4) {
            j += 4;
        }
        if (j == i || (j < n && s.charAt(j) == ',' && isDigit(charAt(j + 1)))) {
            return i;
        }
        for (int k = i; k < j; k++) {
            if (s.charAt(k) != ',') {
                text.append(s.charAt(k));
            }
        }
        return j;
    }

    /** Multi-letter words are not products of variables: "red" must not equal "der". */
    private MathExpression word() {
        int start = pos;
        while (isLetter(charAt(pos))) {
            pos++;
        }
        String w = s.substring(start, pos);
        if (w.length() == 1) {
            return variable(w);
        }
        if (w.equals("pi")) {
            return new Num(Math.PI);
        }
        if (FUNCTIONS.contains(w)) {
            return function(w);
        }
        throw FAIL;
    }

    /** x_1 and x_{1} name the same variable. */
    private MathExpression variable(String name) {
        if (charAt(pos) != '_') {
            return new Var(name);
        }
        pos++;
        boolean braced = charAt(pos) == '{';
        if (braced) {
            pos++;
        }
        int start = pos;
        while (isLetterOrDigit(charAt(pos)) && (braced || pos == start)) {
            pos++;
        }
        String subscript = s.substring(start, pos);
        require(!subscript.isEmpty() && (!braced || charAt(pos) == '}'));
        if (braced) {
            pos++;
        }
        return new Var(name + "_" + subscript);
    }

    private MathExpression command() {
        String name = readCommand();
        if (FRACTIONS.contains(name)) {
            MathExpression numerator = arg();
            return new Product(List.of(numerator, new Recip(arg())));
        }
        switch (name) {
            case "sqrt":
                return root();
            case "pi":
                return new Num(Math.PI);
            case "{":
                return group("\\}", Kind.SET);
            default:
                break;
        }
        if (UPRIGHT.contains(name)) {
            return upright();
        }
        if (FUNCTIONS.contains(name)) {
            return function(name);
        }
        if (GREEK.contains(name)) {
            return variable("\\" + name);
        }
        throw FAIL;
    }

    private MathExpression root() {
        MathExpression index = null;
        if (skipSpace() == '[') {
            pos++;
            enter();
            index = scalar(expr());
            expect("]");
            depth--;
        }
        MathExpression radicand = arg();
        return index == null ? new Func("sqrt", radicand) : new Root(radicand, index);
    }

    /** {@code \mathrm{e}} is Euler's number; any other single upright letter is a variable. */
    private MathExpression upright() {
        expect("{");
        char c = skipSpace();
        require(isLetter(c));
        pos++;
        expect("}");
        return c == 'e' ? new Num(Math.E) : new Var(String.valueOf(c));
    }

    /** A command argument: a braced expression or one character, as LaTeX reads {@code \frac12}. */
    private MathExpression arg() {
        char c = skipSpace();
        if (c == '{') {
            return braced();
        }
        if (isDigit(c)) {
            pos++;
            return new Num(c - '0');
        }
        if (isLetter(c)) {
            pos++;
            return new Var(String.valueOf(c));
        }
        if (c == '\\') {
            enter();
            MathExpression e = scalar(command());
            depth--;
            return e;
        }
        throw FAIL;
    }

    private MathExpression braced() {
        pos++;
        enter();
        MathExpression e = scalar(expr());
        expect("}");
        depth--;
        return e;
    }

    private MathExpression function(String name) {
        MathExpression base = null;
        MathExpression exponent = null;
        if (name.equals("log") && skipSpace() == '_') {
            pos++;
            base = arg();
        }
        if (skipSpace() == '^') {
            pos++;
            exponent = arg();
        }
        MathExpression x = functionArgument();
        String fn = name;
        boolean inverse = exponent instanceof Neg neg && neg.operand() instanceof Num one && one.value() == 1;
        if (inverse && (name.equals("sin") || name.equals("cos") || name.equals("tan"))) {
            fn = "arc" + name; // sin^{-1} x is arcsin x, not 1/sin x
            exponent = null;
        }
        MathExpression value = base == null
                ? new Func(fn, x)
                : new Product(List.of(new Func("ln", x), new Recip(new Func("ln", base))));
        return exponent == null ? value : new Pow(value, exponent);
    }

    /** {@code \sin 2x} is sin(2x), but {@code \sin x \cos x} is sin(x)cos(x). */
    private MathExpression functionArgument() {
        char c = skipSpace();
        if (c == '(' || c == '[' || c == '{') {
            return scalar(primary());
        }
        enter();
        List<MathExpression> factors = new ArrayList<>();
        factors.add(scalar(unary()));
        while (startsImplicitFactor() && !startsFunction()) {
            factors.add(scalar(power()));
        }
        depth--;
        return factors.size() == 1 ? factors.get(0) : new Product(factors);
    }

    /** "2x", "2\pi", "3(4+1)"; never before a digit, so "2 3" is not 6. */
    private boolean startsImplicitFactor() {
        char c = skipSpace();
        if (isLetter(c) || c == '(' || c == '[' || c == '{') {
            return true;
        }
        if (c != '\\') {
            return false;
        }
        String cmd = peekCommand();
        return FRACTIONS.contains(cmd) || FUNCTIONS.contains(cmd) || GREEK.contains(cmd)
                || UPRIGHT.contains(cmd) || cmd.equals("pi") || cmd.equals("{");
    }

    private boolean startsFunction() {
        if (charAt(pos) == '\\') {
            return FUNCTIONS.contains(peekCommand());
        }
        int end = pos;
        while (isLetter(charAt(end))) {
            end++;
        }
        return FUNCTIONS.contains(s.substring(pos, end));
    }

    /** Skips whitespace and layout-only commands; returns the next char, or '\0' at the end. */
    private char skipSpace() {
        while (pos < n) {
            char c = s.charAt(pos);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '~') {
                pos++;
                continue;
            }
            if (c != '\\' || pos + 1 >= n) {
                break;
            }
            char d = s.charAt(pos + 1);
            if (d == ',' || d == '!' || d == ';' || d == ':' || d == ' ') {
                pos += 2;
                continue;
            }
            String cmd = peekCommand();
            if (!IGNORED.contains(cmd)) {
                break;
            }
            pos += 1 + cmd.length();
            if ((cmd.equals("left") || cmd.equals("right")) && charAt(pos) == '.') {
                pos++; // \left. and \right. are invisible delimiters
            }
        }
        return charAt(pos);
    }

    private void enter() {
        require(++depth <= MAX_DEPTH);
    }

    private void expect(String token) {
        skipSpace();
        require(s.startsWith(token, pos));
        pos += token.length();
    }

    private void skipOperator() {
        if (charAt(pos) == '\\') {
            readCommand();
        } else {
            pos++;
        }
    }

    private boolean atCommand(String name) {
        return charAt(pos) == '\\' && s.startsWith(name, pos + 1) && !isLetter(charAt(pos + 1 + name.length()));
    }

    /** Name of the command at pos (a backslash): its letters, or the single symbol after it. */
    private String peekCommand() {
        int end = pos + 1;
        while (isLetter(charAt(end))) {
            end++;
        }
        if (end > pos + 1) {
            return s.substring(pos + 1, end);
        }
        return pos + 1 < n ? String.valueOf(s.charAt(pos + 1)) : "";
    }

    private String readCommand() {
        String name = peekCommand();
        require(!name.isEmpty());
        pos += 1 + name.length();
        return name;
    }

    private int digitsEnd(int from) {
        int i = from;
        while (isDigit(charAt(i))) {
            i++;
        }
        return i;
    }

    private char charAt(int i) {
        return i < n ? s.charAt(i) : '\0';
    }

    /** Tuples and equations only make sense at the top of an answer, never as operands. */
    private static void require(boolean ok) {
        if (!ok) {
            throw FAIL;
        }
    }

    private static MathExpression scalar(MathExpression e) {
        require(!(e instanceof Tuple) && !(e instanceof Equation));
        return e;
    }

    private static List<MathExpression> scalars(List<MathExpression> list) {
        list.forEach(MathParser::scalar);
        return list;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isLetterOrDigit(char c) {
        return isLetter(c) || isDigit(c);
    }
}
