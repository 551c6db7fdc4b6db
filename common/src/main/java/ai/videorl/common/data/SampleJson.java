package ai.videorl.common.data;

import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A sample as one JSON object, with the field names of the public Video-R1 style manifests:
 * {@code id} (string or integer), {@code video}, {@code problem}, {@code problem_type},
 * {@code options}, {@code solution}, {@code temporal_grounding} ({@code {"MM:SS" or
 * "MM:SS-MM:SS": sentence}}), {@code facts} (list of strings), {@code difficulty} (number).
 * Only {@code id}, {@code problem_type} and {@code solution} are required here; other fields
 * are ignored. Errors name the field.
 */
public final class SampleJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SampleJson() {
    }

    public static Sample read(JsonNode json) {
        if (!json.isObject()) {
            throw VideoRlException.invalidInput("expected a JSON object, got " + json.getNodeType());
        }
        JsonNode id = json.get("id");
        if (id == null || !(id.isTextual() || id.isIntegralNumber())) {
            throw VideoRlException.invalidField("id", id == null ? "missing" : "must be a string or an integer");
        }
        ProblemType type = ProblemType.parse(requiredText(json, "problem_type"));
        return new Sample(id.asText(), optionalText(json, "video"), optionalText(json, "problem"), type,
                stringList(json, "options"), Solution.fromJson(json.get("solution"), type),
                claims(json.get("temporal_grounding")), stringList(json, "facts"), difficulty(json.get("difficulty")));
    }

    /** The sample as a manifest line's object; {@link #read} gives it back. */
    public static ObjectNode write(Sample sample) {
        ObjectNode json = NODES.objectNode();
        json.put("id", sample.id());
        json.put("video", sample.video());
        json.put("problem", sample.problem());
        json.put("problem_type", sample.problemType().canonicalName());
        ArrayNode options = json.putArray("options");
        sample.options().forEach(options::add);
        json.set("solution", solution(sample.solution()));
        if (!sample.temporalGrounding().isEmpty()) {
            ObjectNode claims = json.putObject("temporal_grounding");
            sample.temporalGrounding().forEach(claims::put);
        }
        if (!sample.facts().isEmpty()) {
            ArrayNode facts = json.putArray("facts");
            sample.facts().forEach(facts::add);
        }
        sample.difficulty().ifPresent(value -> json.put("difficulty", value));
        return json;
    }

    private static JsonNode solution(Solution solution) {
        if (solution instanceof Solution.Text text) {
            return NODES.textNode(text.answer());
        }
        if (solution instanceof Solution.Grounded grounded) {
            ObjectNode object = NODES.objectNode();
            object.put("answer", grounded.answer());
            object.set("segment", interval(grounded.segment()));
            return object;
        }
        List<Interval> intervals = ((Solution.Segments) solution).intervals();
        if (intervals.size() == 1) {
            return interval(intervals.get(0));
        }
        ArrayNode list = NODES.arrayNode();
        intervals.forEach(interval -> list.add(interval(interval)));
        return list;
    }

    private static ArrayNode interval(Interval interval) {
        return NODES.arrayNode().add(interval.start()).add(interval.end());
    }

    static String requiredText(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            throw VideoRlException.invalidField(field, "missing");
        }
        if (!node.isTextual()) {
            throw VideoRlException.invalidField(field, "must be a string, got " + node.getNodeType());
        }
        return node.asText();
    }

    static String optionalText(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? "" : requiredText(json, field);
    }

    private static List<String> stringList(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw VideoRlException.invalidField(field, "must be a list of strings");
        }
        List<String> values = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw VideoRlException.invalidField(field + "[" + i + "]", "must be a string");
            }
            values.add(node.get(i).asText());
        }
        return values;
    }

    private static Map<String, String> claims(JsonNode node) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw VideoRlException.invalidField("temporal_grounding", "must be an object of time -> sentence");
        }
        Map<String, String> claims = new LinkedHashMap<>();
        node.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isTextual()) {
                throw VideoRlException.invalidField("temporal_grounding." + entry.getKey(), "must be a sentence");
            }
            claims.put(entry.getKey(), entry.getValue().asText());
        });
        return claims;
    }

    private static OptionalDouble difficulty(JsonNode node) {
        if (node == null || node.isNull()) {
            return OptionalDouble.empty();
        }
        if (!node.isNumber() || !Double.isFinite(node.asDouble()) || node.asDouble() < 0) {
            throw VideoRlException.invalidField("difficulty", "must be a finite number >= 0, got " + node);
        }
        return OptionalDouble.of(node.asDouble());
    }
}
