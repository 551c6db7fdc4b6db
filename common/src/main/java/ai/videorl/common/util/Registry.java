package ai.videorl.common.util;

import ai.videorl.common.error.VideoRlException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An immutable name → value table for pluggable algorithms (recipes, advantage estimators):
 * a name registered twice fails when the registry is built, and an unknown name fails with the
 * list of valid ones.
 *
 * @param <T> what is registered
 */
public final class Registry<T> {

    private final String kind;
    private final Map<String, T> entries;

    private Registry(String kind, Map<String, T> entries) {
        this.kind = kind;
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** @param kind what the entries are, for messages ("recipe", "advantage estimator") */
    @SafeVarargs
    public static <T> Registry<T> of(String kind, Map.Entry<String, T>... entries) {
        Map<String, T> table = new LinkedHashMap<>();
        for (Map.Entry<String, T> entry : entries) {
            if (table.putIfAbsent(entry.getKey(), entry.getValue()) != null) {
                throw new IllegalStateException(kind + " '" + entry.getKey() + "' is registered twice");
            }
        }
        return new Registry<>(kind, table);
    }

    /** Names in registration order. */
    public Set<String> names() {
        return entries.keySet();
    }

    /** @throws VideoRlException (bad configuration) naming the valid names when {@code name} is unknown */
    public T get(String name) {
        T entry = entries.get(name);
        if (entry == null) {
            throw VideoRlException.invalidConfiguration("unknown " + kind + " '" + name + "'; expected one of " + names());
        }
        return entry;
    }
}
