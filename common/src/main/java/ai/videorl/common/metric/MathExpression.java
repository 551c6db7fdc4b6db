package ai.videorl.common.metric;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed answer: a real-valued expression tree, or a tuple, set or equation of such trees.
 * Built by {@link MathParser}; compared by {@link MathEquivalence}. Trees are immutable and
 * their depth is bounded by the parser's nesting cap, so the recursive methods cannot overflow.
 */
interface MathExpression {

    /** Value at the given variable assignment; NaN where undefined (and for non-scalars). */
    double eval(Env env);

    void collectVariables(Set<String> out);

    /** Variable values, plus which reading of {@code %} is in force: 50% as 0.5, or as 50. */
    record Env(Map<String, Double> variables, boolean percentDivides) {}

    /** How a tuple was written; decides ordered vs unordered comparison. */
    enum Kind { BARE, PAREN, BRACKET, SET }

    record Num(double value) implements MathExpression {
        public double eval(Env env) {
            return value;
        }

        public void collectVariables(Set<String> out) {}
    }

    record Var(String name) implements MathExpression {
        public double eval(Env env) {
            Double value = env.variables().get(name);
            return value == null ? Double.NaN : value;
        }

        public void collectVariables(Set<String> out) {
            out.add(name);
        }
    }

    record Neg(MathExpression operand) implements MathExpression {
        public double eval(Env env) {
            return -operand.eval(env);
        }

        public void collectVariables(Set<String> out) {
            operand.collectVariables(out);
        }
    }

    /** Only meaningful as a factor of a {@link Product}, which divides instead of multiplying. */
    record Recip(MathExpression operand) implements MathExpression {
        public double eval(Env env) {
            return 1.0 / operand.eval(env);
        }

        public void collectVariables(Set<String> out) {
            operand.collectVariables(out);
        }
    }

    /** N-ary rather than binary so that long sums do not make deep trees. */
    record Sum(List<MathExpression> terms) implements MathExpression {
        public Sum {
            terms = List.copyOf(terms);
        }

        public double eval(Env env) {
            double total = 0;
            for (MathExpression term : terms) {
                total += term.eval(env);
            }
            return total;
        }

        public void collectVariables(Set<String> out) {
            terms.forEach(t -> t.collectVariables(out));
        }
    }

    record Product(List<MathExpression> factors) implements MathExpression {
        public Product {
            factors = List.copyOf(factors);
        }

        public double eval(Env env) {
            double total = 1;
            for (MathExpression factor : factors) {
                // Dividing directly keeps 6/3 an exact 2.0, which matters for the integer rule.
                total = factor instanceof Recip r ? total / r.operand().eval(env) : total * factor.eval(env);
            }
            return total;
        }

        public void collectVariables(Set<String> out) {
            factors.forEach(f -> f.collectVariables(out));
        }
    }

    record Pow(MathExpression base, MathExpression exponent) implements MathExpression {
        public double eval(Env env) {
            return Math.pow(base.eval(env), exponent.eval(env));
        }

        public void collectVariables(Set<String> out) {
            base.collectVariables(out);
            exponent.collectVariables(out);
        }
    }

    /** {@code \sqrt[n]{x}}; odd roots of negatives are real, unlike {@code Math.pow}. */
    record Root(MathExpression radicand, MathExpression index) implements MathExpression {
        public double eval(Env env) {
            double x = radicand.eval(env);
            double n = index.eval(env);
            boolean oddInteger = n == Math.rint(n) && Math.abs(n % 2) == 1;
            return x < 0 && oddInteger ? -Math.pow(-x, 1 / n) : Math.pow(x, 1 / n);
        }

        public void collectVariables(Set<String> out) {
            radicand.collectVariables(out);
            index.collectVariables(out);
        }
    }

    record Percent(MathExpression operand) implements MathExpression {
        public double eval(Env env) {
            double x = operand.eval(env);
            return env.percentDivides() ? x / 100 : x;
        }

        public void collectVariables(Set<String> out) {
            operand.collectVariables(out);
        }
    }

    record Func(String name, MathExpression argument) implements MathExpression {
        public double eval(Env env) {
            double x = argument.eval(env);
            return switch (name) {
                case "sin" -> Math.sin(x);
                case "cos" -> Math.cos(x);
                case "tan" -> Math.tan(x);
                case "cot" -> 1 / Math.tan(x);
                case "sec" -> 1 / Math.cos(x);
                case "csc" -> 1 / Math.sin(x);
                case "arcsin" -> Math.asin(x);
                case "arccos" -> Math.acos(x);
                case "arctan" -> Math.atan(x);
                case "sinh" -> Math.sinh(x);
                case "cosh" -> Math.cosh(x);
                case "tanh" -> Math.tanh(x);
                case "ln", "log" -> Math.log(x);
                case "exp" -> Math.exp(x);
                case "sqrt" -> Math.sqrt(x);
                case "abs" -> Math.abs(x);
                default -> Double.NaN;
            };
        }

        public void collectVariables(Set<String> out) {
            argument.collectVariables(out);
        }
    }

    record Tuple(Kind kind, List<MathExpression> items) implements MathExpression {
        public Tuple {
            items = List.copyOf(items);
        }

        public double eval(Env env) {
            return Double.NaN;
        }

        public void collectVariables(Set<String> out) {
            items.forEach(i -> i.collectVariables(out));
        }
    }

    /** An equation whose sides are not a lone variable ({@code x = 5} is parsed as plain 5). */
    record Equation(MathExpression lhs, MathExpression rhs) implements MathExpression {
        public double eval(Env env) {
            return Double.NaN;
        }

        public void collectVariables(Set<String> out) {
            lhs.collectVariables(out);
            rhs.collectVariables(out);
        }
    }
}
