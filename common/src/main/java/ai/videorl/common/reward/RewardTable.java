package ai.videorl.common.reward;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The reward columns of a batch, in the order the terms were computed. */
public final class RewardTable {

    private final int rows;
    private final Map<String, double[]> columns = new LinkedHashMap<>();

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
