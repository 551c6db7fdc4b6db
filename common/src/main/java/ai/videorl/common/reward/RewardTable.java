package ai.videorl.common.reward;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The reward columns of a batch, in the order the terms were computed. */
public final class RewardTable {

    private final int rows;
    private final Map<String, double[]> columns = new LinkedHashMap<>();
    private final Map<Integer, String> dropped = new TreeMap<>();
    private final Map<String, Integer> unavailable = new LinkedHashMap<>();
    private final Map<Integer, Set<String>> unavailableByRow = new TreeMap<>();

    public RewardTable(int rows) {
        this.rows = rows;
    }

    public int rows() {
        return rows;
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(columns.keySet());
    }

    /** @throws IllegalArgumentException when there is no such column */
    public double[] column(String name) {
        double[] column = columns.get(name);
        if (column == null) {
            throw new IllegalArgumentException("no reward term '" + name + "' among " + columns.keySet());
        }
        return column;
    }

    public double get(int row, String name) {
        return column(name)[row];
    }

    /**
     * Records that {@code term} had no verdict for rollout {@code row} (it scores 0 there); with
     * {@code drop} the rollout is also left out of the update, for {@code reason}.
     */
    public void unavailable(int row, String term, String reason, boolean drop) {
        unavailable.merge(term, 1, Integer::sum);
        unavailableByRow.computeIfAbsent(row, key -> new TreeSet<>()).add(term);
        if (drop) {
            dropped.putIfAbsent(row, term + ": " + reason);
        }
    }

    /** Rollouts to leave out of the update, with why. */
    public Map<Integer, String> dropped() {
        return Collections.unmodifiableMap(dropped);
    }

    /** Rollouts each term had no verdict for, by term. */
    public Map<String, Integer> unavailableCounts() {
        return Collections.unmodifiableMap(unavailable);
    }

    /** The terms that had no verdict for rollout {@code row}, in name order; empty when all had one. */
    public Set<String> unavailableTerms(int row) {
        return Collections.unmodifiableSet(unavailableByRow.getOrDefault(row, Set.of()));
    }

    /** The values of one rollout, by term name. */
    public TermRow row(int row) {
        return name -> get(row, name);
    }

    void put(String name, double[] values) {
        if (values.length != rows) {
            throw new IllegalStateException("term '" + name + "' returned " + values.length + " values for " + rows + " rollouts");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalStateException("term '" + name + "' gave the non-finite value " + values[i] + " to rollout " + i);
            }
        }
        if (columns.putIfAbsent(name, values) != null) {
            throw new IllegalStateException("term '" + name + "' computed twice");
        }
    }
}
