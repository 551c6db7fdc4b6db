package ai.videorl.common.recipe;

import ai.videorl.common.Fixtures;
import ai.videorl.common.data.Interval;
import ai.videorl.common.data.SampleJson;
import ai.videorl.common.grounding.ClaimParser;
import ai.videorl.common.grounding.TimestampClaim;
import ai.videorl.common.judge.JudgeQuestion;
import ai.videorl.common.metric.ExactMatch;
import ai.videorl.common.metric.IntervalParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our rewards against the recipes' reference code, case by case: {@code reference-rewards.jsonl}
 * holds what VideoAuto-R1's and Video-R2's own Python scored for each completion (and for the
 * pieces: option-letter normalisation, interval parsing, claim maps, consistency verdicts),
 * written by {@code scripts/reference-rewards/generate.py}. Every case must agree, except those
 * marked {@code documented_difference}, which must differ (docs/recipes.md says why), so the
 * documentation stays true.
 */
class ReferenceRewardsTest {

    private static final String FIXTURE = "reference-rewards.jsonl";
    private static final double TOLERANCE = 1e-9;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, List<JsonNode>> CASES = new LinkedHashMap<>();

    @BeforeAll
    static void read() throws IOException {
        try (InputStream stream = Objects.requireNonNull(ReferenceRewardsTest.class.getResourceAsStream(FIXTURE), FIXTURE);
             BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                JsonNode node = JSON.readTree(line);
                String kind = node.get("kind").asText();
                String key = kind.equals("completion") ? kind + "/" + node.get("recipe").asText() : kind;
                CASES.computeIfAbsent(key, k -> new ArrayList<>()).add(node);
            }
        }
    }

    private static List<JsonNode> cases(String key) {
        List<JsonNode> cases = CASES.getOrDefault(key, List.of());
        assertTrue(cases.size() >= 20, "the fixture holds only " + cases.size() + " cases of " + key);
        return cases;
    }

    @Test
    void videoAutoR1ScoresEveryCompletionAsItsReferenceDoes() {
        List<String> mismatches = new ArrayList<>();
        int documented = 0;
        for (JsonNode c : cases("completion/videoauto-r1")) {
            Map<String, Double> ours = Fixtures.score(new VideoAutoR1(), sample(c), c.get("completion").asText());
            JsonNode reference = c.get("reference");
            double first = reference.get("accuracy_boxed1").asDouble();
            double second = reference.get("accuracy_boxed2").asDouble();
            double format = reference.get("format_twice_boxed").asDouble();
            // The reference folds the fallback bonus into its second accuracy: 0.3 / 1.1, so that 1.1 × it adds 0.3.
            double oursSecond = ours.get(VideoAutoR1.ACCURACY_FINAL) + ours.get(VideoAutoR1.FALLBACK) * 0.3 / 1.1;
            boolean agrees = close(first, ours.get(VideoAutoR1.ACCURACY_FIRST)) && close(second, oursSecond)
                    && close(format, ours.get(VideoAutoR1.FORMAT))
                    && close(0.9 * first + 1.1 * second + format, ours.get("total"));
            if (c.has("documented_difference")) {
                documented++;
                if (agrees) {
                    mismatches.add(c.get("id").asText() + " is documented as differing but agrees: " + c);
                }
            } else if (!agrees) {
                mismatches.add(c.get("id").asText() + " " + c.get("note").asText() + ": reference " + reference + ", ours " + ours);
            }
        }
        assertTrue(documented > 0, "no documented difference was checked");
        assertEquals(List.of(), mismatches);
    }

    @Test
    void videoR2ScoresEveryCompletionAsItsReferenceDoes() {
        List<String> mismatches = new ArrayList<>();
        for (JsonNode c : cases("completion/video-r2")) {
            Map<String, Double> ours = Fixtures.score(new VideoR2(), sample(c), c.get("completion").asText());
            JsonNode reference = c.get("reference");
            if (!close(reference.get("format_reward").asDouble(), ours.get(VideoR2.FORMAT))
                    || !close(reference.get("accuracy_reward").asDouble(), ours.get(VideoR2.ACCURACY))) {
                mismatches.add(c.get("id").asText() + " " + c.get("note").asText() + ": reference " + reference + ", ours " + ours);
            }
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    void optionLettersNormaliseAsVideoAutoR1sGrader() {
        List<String> mismatches = new ArrayList<>();
        for (JsonNode c : cases("mc_normalize")) {
            String ours = ExactMatch.normalize(c.get("input").asText());
            if (!ours.equals(c.get("reference").asText())) {
                mismatches.add(c.get("id").asText() + " " + c.get("input") + ": reference " + c.get("reference") + ", ours \"" + ours + "\"");
            }
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    void intervalsParseAsVideoAutoR1sGrader() {
        List<String> mismatches = new ArrayList<>();
        for (JsonNode c : cases("interval")) {
            Interval ours = IntervalParser.first(c.get("input").asText());
            JsonNode reference = c.get("reference");
            boolean agrees = reference.isNull() ? ours == null
                    : ours != null && close(reference.get(0).asDouble(), ours.start()) && close(reference.get(1).asDouble(), ours.end());
            if (!agrees) {
                mismatches.add(c.get("id").asText() + " " + c.get("input") + ": reference " + reference + ", ours " + ours);
            }
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    void claimMapsAreSanitisedAndOrderedAsVideoR2s() {
        List<String> mismatches = new ArrayList<>();
        for (JsonNode c : cases("timestamps")) {
            Map<String, String> input = new LinkedHashMap<>();
            c.get("input").fields().forEachRemaining(entry -> input.put(entry.getKey(), entry.getValue().isNull() ? null
                    : entry.getValue().asText()));
            List<List<Object>> ours = new ArrayList<>();
            for (TimestampClaim claim : ClaimParser.fromMap(input)) {
                ours.add(List.of(claim.start(), claim.end(), claim.sentence()));
            }
            List<List<Object>> reference = new ArrayList<>();
            c.get("reference").forEach(claim -> reference.add(List.of(claim.get(0).asLong(), claim.get(1).asLong(), claim.get(2).asText())));
            if (!ours.equals(reference)) {
                mismatches.add(c.get("id").asText() + " " + c.get("input") + ": reference " + reference + ", ours " + ours);
            }
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    void consistencyVerdictsAreReadAsVideoR2Reads() {
        JudgeQuestion.Consistency question = new JudgeQuestion.Consistency("q", "r", "a");
        List<String> mismatches = new ArrayList<>();
        for (JsonNode c : cases("verdict")) {
            Optional<Boolean> ours = question.verdict(c.get("input").asText());
            JsonNode reference = c.get("reference");
            Optional<Boolean> expected = reference.isNull() ? Optional.empty() : Optional.of(reference.asBoolean());
            if (!ours.equals(expected)) {
                mismatches.add(c.get("id").asText() + " " + c.get("input") + ": reference " + reference + ", ours " + ours);
            }
        }
        assertEquals(List.of(), mismatches);
    }

    /** The case's sample, as a manifest line would give it. */
    private static ai.videorl.common.data.Sample sample(JsonNode c) {
        ObjectNode line = JSON.createObjectNode();
        line.put("id", c.get("id").asText());
        line.put("problem_type", c.get("problem_type").asText());
        line.set("solution", c.get("solution"));
        line.set("options", c.get("options"));
        return SampleJson.read(line);
    }

    private static boolean close(double expected, double actual) {
        return Math.abs(expected - actual) <= TOLERANCE;
    }
}
