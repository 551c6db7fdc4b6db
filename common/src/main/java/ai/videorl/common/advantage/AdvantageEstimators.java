package ai.videorl.common.advantage;

import ai.videorl.common.util.Registry;

import java.util.Map;
import java.util.Set;
import java.util.function.DoubleFunction;

/**
 * The registry of advantage estimators by name. Every estimator is built through here, with the
 * configured ε (used by those that normalise); unknown names fail listing the valid ones.
 */
public final class AdvantageEstimators {

    private static final Registry<DoubleFunction<AdvantageEstimator>> REGISTRY = Registry.of("advantage estimator",
            Map.entry(GroupNormalized.NAME, GroupNormalized::new),
            Map.entry(MeanCentered.NAME, epsilon -> new MeanCentered()),
            Map.entry(LeaveOneOut.NAME, epsilon -> new LeaveOneOut()));

    private AdvantageEstimators() {
    }

    public static Set<String> names() {
        return REGISTRY.names();
    }

    public static AdvantageEstimator create(String name, double epsilon) {
        return REGISTRY.get(name).apply(epsilon);
    }
}
