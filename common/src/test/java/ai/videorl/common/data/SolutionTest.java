package ai.videorl.common.data;

import ai.videorl.common.error.ErrorCode;
import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SolutionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Solution read(String json, ProblemType type) throws Exception {
        JsonNode node = JSON.readTree(json);
        return Solution.fromJson(node, type);
    }

    @Test
    void problemTypesAcceptCanonicalNamesAndPublicAliases() {
        assertEquals(ProblemType.MULTIPLE_CHOICE, ProblemType.parse("multiple choice"));
        assertEquals(ProblemType.MULTIPLE_CHOICE, ProblemType.parse("Multiple_Choice"));
        assertEquals(ProblemType.OCR, ProblemType.parse("OCR"));
        assertEquals(ProblemType.FREE_FORM, ProblemType.parse("free-form"));
        assertEquals(ProblemType.TEMPORAL_GROUNDING, ProblemType.parse("iou"));
        assertEquals(ProblemType.GROUNDED_QA, ProblemType.parse("gqa"));
        VideoRlException error = assertThrows(VideoRlException.class, () -> ProblemType.parse("colour"));
        assertEquals(ErrorCode.INVALID_INPUT, error.code());
        assertTrue(error.getMessage().contains("problem_type") && error.getMessage().contains("temporal_grounding"),
                error.getMessage());
    }

    @Test
    void readsEveryShape() throws Exception {
        assertEquals(new Solution.Text("B"), read("\"B\"", ProblemType.MULTIPLE_CHOICE));
        assertEquals(new Solution.Text("12"), read("12", ProblemType.NUMERICAL));
        assertEquals(new Solution.Segments(List.of(new Interval(2, 5))), read("[5, 2]", ProblemType.TEMPORAL_GROUNDING));
        assertEquals(new Solution.Segments(List.of(new Interval(1, 2), new Interval(3, 4))),
                read("[[1, 2], [3, 4]]", ProblemType.TEMPORAL_GROUNDING));
        assertEquals(new Solution.Segments(List.of(new Interval(1.5, 2))), read("\"[1.5, 2]\"", ProblemType.TEMPORAL_GROUNDING));
        assertEquals(new Solution.Grounded("red", new Interval(1, 3)),
                read("{\"answer\": \"red\", \"segment\": [1, 3]}", ProblemType.GROUNDED_QA));
        assertEquals(new Solution.Grounded("red", new Interval(1, 3)), read("\"red <> [1, 3]\"", ProblemType.GROUNDED_QA));
    }

    @Test
    void badShapesNameTheField() {
        assertFieldError("solution", () -> read("null", ProblemType.MULTIPLE_CHOICE));
        assertFieldError("solution", () -> read("[1, 2]", ProblemType.MULTIPLE_CHOICE));
        assertFieldError("solution", () -> read("\"soon\"", ProblemType.TEMPORAL_GROUNDING));
        assertFieldError("solution[1]", () -> read("[[1, 2], [3]]", ProblemType.TEMPORAL_GROUNDING));
        assertFieldError("solution", () -> read("[-1, 2]", ProblemType.TEMPORAL_GROUNDING));
        assertFieldError("solution.segment", () -> read("{\"answer\": \"red\"}", ProblemType.GROUNDED_QA));
        assertFieldError("solution.answer", () -> read("{\"segment\": [1, 2]}", ProblemType.GROUNDED_QA));
        assertFieldError("solution", () -> read("\"red [1, 3]\"", ProblemType.GROUNDED_QA));
    }

    @Test
    void aSampleRefusesASolutionOfTheWrongShape() {
        assertThrows(IllegalArgumentException.class, () -> new Sample("s", "", ProblemType.TEMPORAL_GROUNDING, List.of(),
                new Solution.Text("[1, 2]")));
    }

    private static void assertFieldError(String field, org.junit.jupiter.api.function.Executable read) {
        VideoRlException error = assertThrows(VideoRlException.class, read);
        assertTrue(error.getMessage().startsWith("field '" + field + "'"), error.getMessage());
    }
}
