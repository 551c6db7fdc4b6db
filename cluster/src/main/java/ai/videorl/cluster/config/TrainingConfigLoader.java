package ai.videorl.cluster.config;

import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a {@link TrainingConfig}: the defaults, then the run's YAML file, then {@code key=value}
 * overrides from the command line (dotted keys, YAML values), each layer replacing what the one
 * before set. Every key of the file and the overrides must be a key of the defaults — a
 * misspelling fails naming the key and the closest valid one — except under {@code spark.conf},
 * which takes any Spark setting. Bad values fail naming the key.
 */
public final class TrainingConfigLoader {

    static final String DEFAULTS = "defaults.yaml";
    private static final String FREE_FORM = "spark.conf";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private TrainingConfigLoader() {
    }

    /**
     * @param file the run's YAML, or null for defaults only
     * @param source names the file in errors
     * @param overrides {@code key=value} pairs, applied in order
     */
    public static TrainingConfig load(Reader file, String source, List<String> overrides) {
        ObjectNode merged = defaults();
        if (file != null) {
            JsonNode user;
            try {
                user = YAML.readTree(file);
            } catch (IOException e) {
                throw VideoRlException.invalidConfiguration(source + ": not valid YAML: " + e.getMessage());
            }
            if (user != null && !user.isMissingNode() && !user.isNull()) {
                if (!user.isObject()) {
                    throw VideoRlException.invalidConfiguration(source + ": expected sections (run:, grpo:, …) at the top");
                }
                merge(merged, (ObjectNode) user, "", source);
            }
        }
        for (String override : overrides) {
            apply(merged, override);
        }
        return bind(merged).validated();
    }

    /** The configuration as YAML, every key resolved: what a checkpoint stores and {@code describe} prints. */
    public static String toYaml(TrainingConfig config) {
        try {
            return YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a configuration always serialises", e);
        }
    }

    static ObjectNode defaults() {
        try (InputStream in = TrainingConfigLoader.class.getResourceAsStream(DEFAULTS)) {
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the default configuration is missing from the jar", e);
        }
    }

    /** Copies {@code user} onto {@code base}, refusing keys the defaults do not have. */
    private static void merge(ObjectNode base, ObjectNode user, String prefix, String source) {
        Iterator<Map.Entry<String, JsonNode>> fields = user.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix + field.getKey();
            JsonNode existing = base.get(field.getKey());
            if (key.equals(FREE_FORM) && existing != null && existing.isObject() && field.getValue().isObject()) {
                ((ObjectNode) existing).setAll((ObjectNode) field.getValue());
            } else if (key.startsWith(FREE_FORM + ".") || key.equals(FREE_FORM)) {
                base.set(field.getKey(), field.getValue());
            } else if (existing == null) {
                throw unknownKey(source, key, base, prefix);
            } else if (existing.isObject()) {
                if (!field.getValue().isObject()) {
                    throw VideoRlException.invalidConfiguration(source + ": '" + key + "' is a section, not a value");
                }
                merge((ObjectNode) existing, (ObjectNode) field.getValue(), key + ".", source);
            } else {
                base.set(field.getKey(), field.getValue());
            }
        }
    }

    /** {@code a.b.c=value}: the value read as YAML ("3" a number, "true" a boolean, "x" a string). */
    private static void apply(ObjectNode merged, String override) {
        int equals = override.indexOf('=');
        if (equals <= 0) {
            throw VideoRlException.invalidConfiguration("override '" + override + "' is not key=value");
        }
        String key = override.substring(0, equals).strip();
        String value = override.substring(equals + 1);
        JsonNode parsed;
        try {
            parsed = value.isBlank() ? YAML.getNodeFactory().textNode("") : YAML.readTree(value);
        } catch (IOException e) {
            parsed = YAML.getNodeFactory().textNode(value);
        }
        ObjectNode nested = YAML.createObjectNode();
        ObjectNode cursor = nested;
        // A Spark setting's own name has dots: spark.conf.spark.executor.memory is one key of spark.conf.
        String[] parts = key.startsWith(FREE_FORM + ".")
                ? new String[] {"spark", "conf", key.substring(FREE_FORM.length() + 1)}
                : key.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            cursor = cursor.putObject(parts[i]);
        }
        cursor.set(parts[parts.length - 1], parsed);
        merge(merged, nested, "", "override " + key);
    }

    private static TrainingConfig bind(ObjectNode merged) {
        try {
            return YAML.treeToValue(merged, TrainingConfig.class);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof VideoRlException known) {
                throw known;
            }
            throw VideoRlException.invalidConfiguration("bad configuration at " + path(e.getPath()) + ": " + e.getOriginalMessage());
        } catch (InvalidFormatException e) {
            throw VideoRlException.invalidConfiguration("'" + path(e.getPath()) + "' cannot be " + e.getValue()
                    + " (expected " + e.getTargetType().getSimpleName() + ")");
        } catch (JsonProcessingException e) {
            throw VideoRlException.invalidConfiguration("bad configuration: " + e.getOriginalMessage());
        }
    }

    private static String path(List<JsonMappingException.Reference> references) {
        return references.stream().map(reference -> reference.getFieldName() == null ? "[" + reference.getIndex() + "]"
                : reference.getFieldName()).collect(Collectors.joining("."));
    }

    private static VideoRlException unknownKey(String source, String key, ObjectNode section, String prefix) {
        List<String> known = new ArrayList<>();
        section.fieldNames().forEachRemaining(name -> known.add(prefix + name));
        // A key that extends what was typed ("rollout.group" → "rollout.group_size") beats edit distance.
        String closest = known.stream().filter(name -> name.startsWith(key)).min(Comparator.comparingInt(String::length))
                .orElseGet(() -> known.stream().min((a, b) -> Integer.compare(distance(a, key), distance(b, key))).orElse(""));
        return VideoRlException.invalidConfiguration(source + ": unknown key '" + key + "'"
                + (closest.isEmpty() ? "" : " (did you mean '" + closest + "'?)"));
    }

    /** Levenshtein distance, for suggestions. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
