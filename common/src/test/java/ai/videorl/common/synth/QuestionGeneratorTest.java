package ai.videorl.common.synth;

import ai.videorl.common.data.Interval;
import ai.videorl.common.data.ProblemType;
import ai.videorl.common.data.Sample;
import ai.videorl.common.data.SampleJson;
import ai.videorl.common.data.Solution;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuestionGeneratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VIDEOS = 400;
    private static final Pattern CLAIM_KEY = Pattern.compile("(\\d{2}):([0-5]\\d)(?:-(\\d{2}):([0-5]\\d))?");

    private static List<Sample> samples(long seed, int videos) {
        SceneGenerator generator = new SceneGenerator(seed, VideoFormat.DEFAULT);
        List<Sample> samples = new ArrayList<>();
        for (int index = 0; index < videos; index++) {
            QuestionGenerator.questions(generator.generate(index)).forEach(question -> samples.add(question.sample()));
        }
        return samples;
    }

    private static List<Sample> ofType(List<Sample> samples, ProblemType type) {
        return samples.stream().filter(sample -> sample.problemType() == type).toList();
    }

    private static List<String> manifestLines(long seed) throws Exception {
        List<String> lines = new ArrayList<>();
        for (Sample sample : samples(seed, 50)) {
            lines.add(JSON.writeValueAsString(SampleJson.write(sample)));
        }
        return lines;
    }

    @Test
    void everyVideoGetsTheFiveQuestionsInOrder() {
        List<Question> questions = QuestionGenerator.questions(new SceneGenerator(1, VideoFormat.DEFAULT).generate(42));
        assertEquals(List.of("000042-mc", "000042-count", "000042-exists", "000042-when", "000042-grounded"),
                questions.stream().map(question -> question.sample().id()).toList());
        assertEquals(List.of(ProblemType.MULTIPLE_CHOICE, ProblemType.NUMERICAL, ProblemType.EXACT_MATCH,
                ProblemType.TEMPORAL_GROUNDING, ProblemType.GROUNDED_QA),
                questions.stream().map(question -> question.sample().problemType()).toList());
        questions.forEach(question -> assertEquals("videos/000042.mp4", question.sample().video()));
    }

    @Test
    void theSameSeedWritesTheSameManifestAndAnotherSeedAnother() throws Exception {
        List<String> first = manifestLines(7);
        assertEquals(first, manifestLines(7));
        List<String> other = manifestLines(8);
        assertEquals(first.size(), other.size());
        assertNotEquals(first, other);
    }

    @Test
    void everySampleSurvivesAManifestRoundTrip() throws Exception {
        for (Sample sample : samples(3, 100)) {
            String line = JSON.writeValueAsString(SampleJson.write(sample));
            assertEquals(sample, SampleJson.read(JSON.readTree(line)), line);
        }
    }

    @Test
    void claimsAreZeroPaddedClockRangesInsideTheVideoAndFactsAreLowerCase() {
        for (Sample sample : samples(4, 100)) {
            assertTrue(!sample.temporalGrounding().isEmpty(), sample.id() + " has claims");
            sample.temporalGrounding().forEach((key, claim) -> {
                Matcher matcher = CLAIM_KEY.matcher(key);
                assertTrue(matcher.matches(), sample.id() + ": claim key " + key);
                int start = Integer.parseInt(matcher.group(1)) * 60 + Integer.parseInt(matcher.group(2));
                int end = matcher.group(3) == null ? start
                        : Integer.parseInt(matcher.group(3)) * 60 + Integer.parseInt(matcher.group(4));
                assertTrue(start < end && end <= VideoFormat.DEFAULT.durationSeconds(), sample.id() + ": " + key);
                assertTrue(claim.matches("(no|a) [a-z ]+ is visible"), sample.id() + ": " + claim);
            });
            assertTrue(!sample.facts().isEmpty(), sample.id() + " has facts");
            sample.facts().forEach(fact -> assertEquals(fact.toLowerCase(Locale.ROOT), fact, sample.id()));
            double difficulty = sample.difficulty().orElseThrow();
            assertTrue(difficulty >= 0 && difficulty <= 10, sample.id() + ": difficulty " + difficulty);
        }
    }

    @Test
    void answersAreBalancedSoNoGuessFromTheTextDoesWell() {
        List<Sample> samples = samples(2026, VIDEOS);
        assertShares(ofType(samples, ProblemType.MULTIPLE_CHOICE), QuestionGeneratorTest::answer, 4, 0.20, 0.30);
        assertShares(ofType(samples, ProblemType.NUMERICAL), QuestionGeneratorTest::answer, 4, 0.20, 0.30);
        assertShares(ofType(samples, ProblemType.EXACT_MATCH), QuestionGeneratorTest::answer, 2, 0.40, 0.60);
        assertShares(ofType(samples, ProblemType.GROUNDED_QA),
                sample -> ((Solution.Grounded) sample.solution()).answer(), 6, 0.10, 0.25);
        // The colour that appeared first (the right option's text) is as balanced as its letter.
        assertShares(ofType(samples, ProblemType.MULTIPLE_CHOICE),
                sample -> sample.options().get(answer(sample).charAt(0) - 'A').substring(3), 6, 0.10, 0.25);
        // Whatever a yes/no question names, yes stays near half.
        List<Sample> yesNo = ofType(samples, ProblemType.EXACT_MATCH);
        for (Function<Sample, String> named : List.<Function<Sample, String>>of(
                sample -> sample.problem().split(" ")[2], sample -> sample.problem().split(" ")[3])) {
            Map<String, List<Sample>> byWord = new HashMap<>();
            yesNo.forEach(sample -> byWord.computeIfAbsent(named.apply(sample), word -> new ArrayList<>()).add(sample));
            byWord.forEach((word, group) -> {
                double yes = group.stream().filter(sample -> answer(sample).equals("yes")).count() / (double) group.size();
                assertTrue(yes >= 0.30 && yes <= 0.70, "P(yes | " + word + ") = " + yes + " over " + group.size());
            });
        }
    }

    @Test
    void noFixedIntervalGuessesWhenWell() {
        List<Interval> truths = ofType(samples(2026, VIDEOS), ProblemType.TEMPORAL_GROUNDING).stream()
                .map(sample -> ((Solution.Segments) sample.solution()).intervals().get(0)).toList();
        double best = 0;
        for (int start = 0; start < 8; start++) {
            for (int end = start + 1; end <= 8; end++) {
                Interval guess = new Interval(start / 2.0, end / 2.0);
                best = Math.max(best, truths.stream().mapToDouble(guess::iou).average().orElseThrow());
            }
        }
        assertTrue(best < 0.47, "the best constant interval scores a mean IoU of " + best);
    }

    @Test
    void aPlanThatDoesNotFitTheSceneIsAClearError() {
        SynthVideo video = new SceneGenerator(1, VideoFormat.DEFAULT).generate(0);
        ShapeColour first = video.scene().byAppearance().get(0).colour();
        List<ShapeColour> options = ShapeColour.all().stream().filter(colour -> colour != first).limit(4).toList();
        QuestionPlan plan = video.plan();
        SynthVideo broken = new SynthVideo(0, video.scene(), new QuestionPlan(options, plan.countKind(),
                plan.askedColour(), plan.askedKind(), plan.whenColour(), plan.groundedKind()));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> QuestionGenerator.questions(broken));
        assertTrue(error.getMessage().contains("lack the colour that appears first, " + first.word()), error.getMessage());
    }

    private static String answer(Sample sample) {
        return ((Solution.Text) sample.solution()).answer();
    }

    private static void assertShares(List<Sample> samples, Function<Sample, String> answer, int values, double low, double high) {
        Map<String, Integer> counts = new TreeMap<>();
        samples.forEach(sample -> counts.merge(answer.apply(sample), 1, Integer::sum));
        assertEquals(values, counts.size(), "answers seen: " + counts);
        counts.forEach((value, count) -> {
            double share = count / (double) samples.size();
            assertTrue(share >= low && share <= high, "'" + value + "' is " + share + " of the answers: " + counts);
        });
    }
}
