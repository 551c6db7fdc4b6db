package ai.videorl.common.advantage;

import ai.videorl.common.error.VideoRlException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleFunction;

/**
 * The registry of advantage estimators by name. Every estimator is built through here, with the
 * configured ε (used by those that normalise); unknown names fail listing the valid ones.
 */
public final class AdvantageEstimators {

    private static final Map<String, DoubleFunction<AdvantageEstimator>> REGISTRY = build(
            Map.entry(GroupNormalized.NAME, GroupNormalized::new),
            Map.entry(MeanCentered.NAME, epsilon -> new MeanCentered()),
            Map.entry(LeaveOneOut.NAME, epsilon -> new LeaveOneOut()));

    private AdvantageEstimators() {
    }

    public static Set<String> names() {
        return REGISTRY.keySet();
    }

    public static AdvantageEstimator create(String name, double epsilon) {
        DoubleFunction<AdvantageEstimator> factory = REGISTRY.get(name);
        if (factory == null) {
            throw VideoRlException.invalidConfiguration("unknown advantage estimator '" + name + "'; expected one of " + names());
        }
        return factory.apply(epsilon);
    }

    @SafeVarargs
    static Map<String, DoubleFunction<AdvantageEstimator>> build(Map.Entry<String, DoubleFunction<AdvantageEstimator>>... entries) {
        Map<String, DoubleFunction<AdvantageEstimator>> registry = new LinkedHashMap<>();
        for (Map.Entry<String, DoubleFunction<AdvantageEstimator>> entry : entries) {
            if (registry.putIfAbsent(entry.getKey(), entry.getValue()) != null) {
                throw new IllegalStateException("advantage estimator '" + entry.getKey() + "' is registered twice");
            }
        }
        return Collections.unmodifiableMap(registry);
    }
}
