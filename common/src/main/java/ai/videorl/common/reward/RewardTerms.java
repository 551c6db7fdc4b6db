package ai.videorl.common.reward;

import java.util.List;
import java.util.Objects;

/** Factories for the common kinds of {@link RewardTerm}. */
public final class RewardTerms {

    /** The name of the weighted sum every recipe ends with. */
    public static final String TOTAL = "total";

    private RewardTerms() {
    }

    /** A term computed from one rollout (and the earlier terms' values for it). */
    @FunctionalInterface
    public interface PointwiseFunction<P> {
        double score(RewardInput<P> input, TermRow earlier);
    }

    /** A term scoring a whole batch at once: what a term that calls a service needs. */
    @FunctionalInterface
    public interface BatchFunction<P> {
        double[] score(List<RewardInput<P>> batch, RewardTable earlier);
    }

    public static <P> RewardTerm<P> batched(String name, List<String> inputs, String description, BatchFunction<P> function) {
        Objects.requireNonNull(function, "function");
        return new NamedTerm<>(name, inputs, description) {
            @Override
            public double[] score(List<RewardInput<P>> batch, RewardTable earlier) {
                return function.score(batch, earlier);
            }
        };
    }

    public static <P> RewardTerm<P> pointwise(String name, PointwiseFunction<P> function) {
        return pointwise(name, List.of(), function);
    }

    public static <P> RewardTerm<P> pointwise(String name, List<String> inputs, PointwiseFunction<P> function) {
        Objects.requireNonNull(function, "function");
        return new NamedTerm<>(name, inputs, "pointwise") {
            @Override
            public double[] score(List<RewardInput<P>> batch, RewardTable earlier) {
                double[] values = new double[batch.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = function.score(batch.get(i), earlier.row(i));
                }
                return values;
            }
        };
    }

    /** One term's weight in a {@link #weightedSum}. */
    public record Weight(String term, double weight) {
        public Weight {
            Objects.requireNonNull(term, "term");
            if (!Double.isFinite(weight)) {
                throw new IllegalArgumentException("weight of '" + term + "' must be finite, got " + weight);
            }
        }
    }

    public static Weight weight(String term, double weight) {
        return new Weight(term, weight);
    }

    /** {@code name = Σ weight · term}, summed in the order given so results are bit-reproducible. */
    public static <P> RewardTerm<P> weightedSum(String name, List<Weight> weights) {
        List<Weight> entries = List.copyOf(weights);
        return new NamedTerm<>(name, entries.stream().map(Weight::term).toList(), "weighted sum of " + entries) {
            @Override
            public double[] score(List<RewardInput<P>> batch, RewardTable earlier) {
                double[] values = new double[batch.size()];
                for (Weight entry : entries) {
                    double[] column = earlier.column(entry.term());
                    double weight = entry.weight();
                    for (int i = 0; i < values.length; i++) {
                        values[i] += weight * column[i];
                    }
                }
                return values;
            }
        };
    }

    /** What every term made here shares: a name, its inputs, a description. */
    private abstract static class NamedTerm<P> implements RewardTerm<P> {
        private final String name;
        private final List<String> inputs;
        private final String description;

        NamedTerm(String name, List<String> inputs, String description) {
            this.name = Objects.requireNonNull(name, "name");
            this.inputs = List.copyOf(inputs);
            this.description = description;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<String> inputs() {
            return inputs;
        }

        @Override
        public String toString() {
            return "RewardTerm[" + name + ": " + description + "]";
        }
    }
}
