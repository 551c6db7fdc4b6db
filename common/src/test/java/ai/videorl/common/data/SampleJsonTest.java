package ai.videorl.common.data;

import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsEveryManifestField() throws Exception {
        Sample sample = SampleJson.read(JSON.readTree("""
                {"id": 7, "video": "videos/0001.mp4", "problem": "Which colour appeared first?",
                 "problem_type": "multiple choice", "options": ["A. red", "B. blue"], "solution": "B",
                 "temporal_grounding": {"00:01": "a blue square appears", "00:02-00:04": "a red circle moves"},
                 "facts": ["blue appears at 1 s", "red appears at 2 s"], "difficulty": 6.5, "extra": true}
                """));
        assertEquals("7", sample.id());
        assertEquals("videos/0001.mp4", sample.video());
        assertEquals(ProblemType.MULTIPLE_CHOICE, sample.problemType());
        assertEquals(List.of("A. red", "B. blue"), sample.options());
        assertEquals(List.of("00:01", "00:02-00:04"), List.copyOf(sample.temporalGrounding().keySet()), "order kept");
        assertEquals(2, sample.facts().size());
        assertEquals(OptionalDouble.of(6.5), sample.difficulty());
    }

    @Test
    void writeThenReadGivesTheSameSample() {
        for (Sample sample : List.of(
                new Sample("a", "v.mp4", "q", ProblemType.TEMPORAL_GROUNDING, List.of(),
                        new Solution.Segments(List.of(new Interval(1, 2), new Interval(3, 4.5))),
                        Map.of("00:01-00:02", "x"), List.of("f"), OptionalDouble.of(3)),
                new Sample("b", "v.mp4", "q", ProblemType.TEMPORAL_GROUNDING, List.of(),
                        new Solution.Segments(List.of(new Interval(1, 2))), Map.of(), List.of(), OptionalDouble.empty()),
                new Sample("c", "v.mp4", "q", ProblemType.GROUNDED_QA, List.of(),
                        new Solution.Grounded("red", new Interval(0.5, 2)), Map.of(), List.of(), OptionalDouble.empty()),
                new Sample("d", "q", ProblemType.MULTIPLE_CHOICE, List.of("A. x", "B. y"), new Solution.Text("A")))) {
            assertEquals(sample, SampleJson.read(SampleJson.write(sample)));
        }
    }

    @Test
    void badOptionalFieldsNameTheField() throws Exception {
        assertField("temporal_grounding.00:01", "{\"id\": 1, \"problem_type\": \"ocr\", \"solution\": \"x\", \"temporal_grounding\": {\"00:01\": 3}}");
        assertField("facts[1]", "{\"id\": 1, \"problem_type\": \"ocr\", \"solution\": \"x\", \"facts\": [\"a\", 2]}");
        assertField("difficulty", "{\"id\": 1, \"problem_type\": \"ocr\", \"solution\": \"x\", \"difficulty\": \"hard\"}");
        assertField("difficulty", "{\"id\": 1, \"problem_type\": \"ocr\", \"solution\": \"x\", \"difficulty\": -1}");
        assertField("video", "{\"id\": 1, \"problem_type\": \"ocr\", \"solution\": \"x\", \"video\": 5}");
        assertField("id", "{\"id\": 1.5, \"problem_type\": \"ocr\", \"solution\": \"x\"}");
    }

    private static void assertField(String field, String json) throws Exception {
        VideoRlException error = assertThrows(VideoRlException.class, () -> SampleJson.read(JSON.readTree(json)));
        assertTrue(error.getMessage().startsWith("field '" + field + "'"), error.getMessage());
    }
}
