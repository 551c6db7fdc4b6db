package ai.videorl.common.data;

import ai.videorl.common.error.VideoRlException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The canonical problem types of a sample. {@link #parse} also accepts the spellings the public
 * Video-R1 style datasets use ("multiple choice", "OCR", "free-form", "iou", "gqa").
 */
public enum ProblemType {
    MULTIPLE_CHOICE("multiple_choice", "multiple choice"),
    NUMERICAL("numerical"),
    REGRESSION("regression"),
    OCR("ocr"),
    FREE_FORM("free_form", "free-form"),
    EXACT_MATCH("exact_match"),
    MATH("math"),
    TEMPORAL_GROUNDING("temporal_grounding", "iou"),
    GROUNDED_QA("grounded_qa", "gqa");

    private static final Map<String, ProblemType> BY_NAME = Arrays.stream(values())
            .flatMap(type -> Stream.concat(Stream.of(type.canonicalName), type.aliases.stream())
                    .map(name -> Map.entry(name, type)))
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

    private final String canonicalName;
    private final List<String> aliases;

    ProblemType(String canonicalName, String... aliases) {
        this.canonicalName = canonicalName;
        this.aliases = List.of(aliases);
    }

    /** The name written in manifests and outputs. */
    public String canonicalName() {
        return canonicalName;
    }

    /** Case-insensitive lookup of a canonical name or alias. */
    public static ProblemType parse(String name) {
        ProblemType type = name == null ? null : BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
        if (type == null) {
            throw VideoRlException.invalidField("problem_type", "unknown problem type '" + name
                    + "'; expected one of " + Arrays.stream(values()).map(ProblemType::canonicalName)
                    .collect(Collectors.joining(", ")) + " (or the aliases "
                    + Arrays.stream(values()).flatMap(t -> t.aliases.stream()).map(Function.identity())
                    .collect(Collectors.joining(", ")) + ")");
        }
        return type;
    }

    @Override
    public String toString() {
        return canonicalName;
    }
}
