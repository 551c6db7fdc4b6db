package ai.videorl.cluster.data;

import ai.videorl.cluster.LocalSpark;
import ai.videorl.cluster.video.ColourClips;
import ai.videorl.cluster.video.FrameSamplingConfig;
import ai.videorl.common.data.Interval;
import ai.videorl.common.data.ProblemType;
import ai.videorl.common.data.Sample;
import ai.videorl.common.data.Solution;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrepareSparkIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;
    private static Path manifest;
    private static String goodVideo;

    @BeforeAll
    static void writeDataset() throws Exception {
        Path videos = Files.createDirectories(directory.resolve("data/videos"));
        goodVideo = ColourClips.write(videos.resolve("good.mp4")).toUri().toString();
        Path faststart = ColourClips.write(directory.resolve("faststart.mp4"), true);
        byte[] bytes = Files.readAllBytes(faststart);
        Files.write(videos.resolve("cut.mp4"), Arrays.copyOf(bytes, bytes.length * 2 / 3));
        Files.writeString(videos.resolve("notes.mp4"), "this is a text file\n".repeat(50));
        String good = "\"video\": \"videos/good.mp4\", \"problem\": \"Which colour came first?\", \"problem_type\": \"multiple choice\", "
                + "\"options\": [\"A. red\", \"B. blue\"], \"solution\": \"A\"";
        manifest = Files.write(directory.resolve("data/manifest.jsonl"), List.of(
                "{\"id\": \"a\", " + good + ", \"difficulty\": 3, \"facts\": [\"red first\"], \"temporal_grounding\": {\"00:00-00:01\": \"red\", \"00:01-00:02\": \"green\"}}",
                "{\"id\": \"b\", \"video\": \"videos/good.mp4\", \"problem\": \"When was it green?\", \"problem_type\": \"iou\", \"solution\": [1, 2], \"difficulty\": 9}",
                "{\"id\": \"cut\", \"video\": \"videos/cut.mp4\", \"problem_type\": \"ocr\", \"solution\": \"x\"}",
                "{\"id\": \"text\", \"video\": \"videos/notes.mp4\", \"problem_type\": \"ocr\", \"solution\": \"x\"}",
                "{\"id\": \"gone\", \"video\": \"videos/gone.mp4\", \"problem_type\": \"ocr\", \"solution\": \"x\"}",
                "{\"id\": \"broken\", ",
                "{\"id\": \"nosolution\", \"video\": \"videos/good.mp4\", \"problem_type\": \"ocr\"}",
                "{\"id\": \"a\", " + good + "}",
                "{\"id\": \"c\", \"video\": \"" + goodVideo + "\", \"problem_type\": \"yes/no\", \"solution\": \"yes\", \"difficulty\": 5}",
                "{\"id\": \"c2\", \"video\": \"" + goodVideo + "\", \"problem_type\": \"exact_match\", \"solution\": \"yes\", \"difficulty\": 5}",
                "{\"id\": \"d\", \"video\": \"videos/good.mp4\", \"problem_type\": \"numerical\", \"solution\": \"4\"}"));
    }

    private static Preparation.Summary prepare(String output, OptionalDouble grpoFraction) throws Exception {
        PrepareOptions options = new PrepareOptions(manifest.toString(), output, FrameSamplingConfig.DEFAULTS,
                new VideoCacheConfig(directory.resolve("cache").toString(), 1 << 30), 3, grpoFraction, false);
        return Preparation.run(LocalSpark.session(), options);
    }

    private static Map<Long, String> quarantine(Path output) throws Exception {
        Map<Long, String> reasons = new TreeMap<>();
        for (String line : Files.readAllLines(output.resolve(Preparation.QUARANTINE))) {
            JsonNode json = JSON.readTree(line);
            reasons.put(json.get("line").asLong(), json.get("reason").asText());
        }
        return reasons;
    }

    @Test
    void goodRowsGoThroughAndEveryBadOneIsQuarantinedWithItsReason() throws Exception {
        Path output = directory.resolve("prepared");
        Preparation.Summary summary = prepare(output.toString(), OptionalDouble.empty());
        assertEquals(new Preparation.Summary(11, 4, 7, 0, 0), summary);

        Map<Long, String> reasons = quarantine(output);
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L, 9L), new ArrayList<>(reasons.keySet()));
        assertTrue(reasons.get(3L).contains("cut.mp4: truncated: ends before"), reasons.get(3L));
        assertTrue(reasons.get(4L).contains("notes.mp4: corrupt: not a readable video"), reasons.get(4L));
        assertTrue(reasons.get(5L).contains("gone.mp4: missing: no such file"), reasons.get(5L));
        assertTrue(reasons.get(6L).startsWith("not valid JSON"), reasons.get(6L));
        assertEquals("field 'solution': missing", reasons.get(7L));
        assertEquals("duplicate id (first seen at line 1)", reasons.get(8L));
        assertTrue(reasons.get(9L).startsWith("field 'problem_type': unknown problem type 'yes/no'"), reasons.get(9L));

        SparkSession spark = LocalSpark.session();
        List<Row> rows = spark.read().parquet(output.resolve(Preparation.SAMPLES).toString()).orderBy(Columns.LINE).collectAsList();
        assertEquals(List.of("a", "b", "c2", "d"), rows.stream().map(row -> row.<String>getAs(Columns.ID)).toList());
        Row first = rows.get(0);
        assertEquals(4.0, first.<Double>getAs(Columns.DURATION_SECONDS), 0.2);
        assertEquals(32, first.<Integer>getAs(Columns.FRAME_COUNT));
        assertEquals(64, first.<Integer>getAs(Columns.WIDTH));
        assertEquals("h264", first.getAs(Columns.CODEC));
        assertEquals(8 + VideoProbing.GENERATION_WEIGHT, first.<Double>getAs(Columns.WEIGHT), "8 frames at 2 fps, plus generation");

        Sample a = SampleRows.fromRow(first);
        assertEquals(goodVideo.replace("file:///", "file:/"), a.video(), "resolved against the manifest's directory");
        assertEquals(List.of("00:00-00:01", "00:01-00:02"), List.copyOf(a.temporalGrounding().keySet()), "claims keep their order");
        assertEquals(new Sample("a", a.video(), "Which colour came first?", ProblemType.MULTIPLE_CHOICE, List.of("A. red", "B. blue"),
                new Solution.Text("A"), a.temporalGrounding(), List.of("red first"), OptionalDouble.of(3)), a);
        assertEquals(new Solution.Segments(List.of(new Interval(1, 2))), SampleRows.fromRow(rows.get(1)).solution());

        JsonNode json = JSON.readTree(output.resolve(Preparation.SUMMARY).toFile());
        assertEquals(7, json.get("quarantined").asInt());
        assertEquals(1, json.at("/quarantine_reasons/video truncated").asInt());
        assertEquals(1, json.at("/quarantine_reasons/duplicate id").asInt());
    }

    @Test
    void theHardestFractionGoesToGrpoDeterministically() throws Exception {
        Path output = directory.resolve("split");
        Preparation.Summary summary = prepare(output.toUri().toString(), OptionalDouble.of(0.5));
        // Rated: a (3), b (9), c2 (5); ceil(0.5 · 3) = 2 hardest: b and c2. d has no difficulty.
        assertEquals(2, summary.grpo());
        assertEquals(1, summary.sft());
        SparkSession spark = LocalSpark.session();
        assertEquals(List.of("b", "c2"), ids(spark.read().parquet(output.resolve(Preparation.GRPO).toString()).collectAsList()));
        assertEquals(List.of("a"), ids(spark.read().parquet(output.resolve(Preparation.SFT).toString()).collectAsList()));
        assertTrue(quarantine(output).get(11L).startsWith("field 'difficulty': missing"));
    }

    @Test
    void spacesColonsAndPercentSignsInPathsAreFine() throws Exception {
        Path odd = Files.createDirectories(directory.resolve("odd dir 100%"));
        ColourClips.write(odd.resolve("12:30 clip.mp4"));
        Path oddManifest = Files.write(odd.resolve("manifest.jsonl"), List.of(
                "{\"id\": \"odd\", \"video\": \"12:30 clip.mp4\", \"problem_type\": \"ocr\", \"solution\": \"x\"}"));
        PrepareOptions options = new PrepareOptions(oddManifest.toString(), odd.resolve("out").toString(),
                FrameSamplingConfig.DEFAULTS, new VideoCacheConfig(directory.resolve("cache").toString(), 1 << 30), 2,
                OptionalDouble.empty(), false);
        assertEquals(new Preparation.Summary(1, 1, 0, 0, 0), Preparation.run(LocalSpark.session(), options));
    }

    @Test
    void quarantineReasonsArePrintableTextAndTheSameOnEveryRun() throws Exception {
        Path first = directory.resolve("reasons-1");
        Path second = directory.resolve("reasons-2");
        prepare(first.toString(), OptionalDouble.empty());
        prepare(second.toString(), OptionalDouble.empty());
        Map<Long, String> reasons = quarantine(first);
        assertEquals(reasons, quarantine(second), "no heap bytes, addresses or library paths that change from run to run");
        for (String reason : reasons.values()) {
            assertTrue(reason.chars().allMatch(c -> c >= 0x20 && c != 0x7f), "printable: " + reason);
        }
        // FFmpeg's text for the error, and nothing after it.
        assertTrue(reasons.get(4L).endsWith("notes.mp4: corrupt: not a readable video: Invalid data found when processing input"),
                reasons.get(4L));
    }

    @Test
    void aManifestLineThatIsNotUtf8IsQuarantinedAndTheOthersGoThrough() throws Exception {
        Path dir = Files.createDirectories(directory.resolve("latin1"));
        ColourClips.write(dir.resolve("v.mp4"));
        String good = "{\"id\": \"%s\", \"video\": \"v.mp4\", \"problem_type\": \"ocr\", \"solution\": \"x\"}\n";
        Path latin1 = dir.resolve("manifest.jsonl");
        try (var out = Files.newOutputStream(latin1)) {
            out.write(String.format(good, "g1").getBytes(StandardCharsets.UTF_8));
            // "café" written in Latin-1: 0xE9 is no UTF-8 sequence.
            out.write("{\"id\": \"latin\", \"video\": \"v.mp4\", \"problem\": \"caf\u00e9?\", \"problem_type\": \"ocr\", \"solution\": \"x\"}\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(String.format(good, "g2").getBytes(StandardCharsets.UTF_8));
        }
        PrepareOptions options = new PrepareOptions(latin1.toString(), dir.resolve("out").toString(), FrameSamplingConfig.DEFAULTS,
                new VideoCacheConfig(directory.resolve("cache").toString(), 1 << 30), 2, OptionalDouble.empty(), false);
        assertEquals(new Preparation.Summary(3, 2, 1, 0, 0), Preparation.run(LocalSpark.session(), options));
        String line = Files.readAllLines(dir.resolve("out").resolve(Preparation.QUARANTINE)).get(0);
        JsonNode rejected = JSON.readTree(line);
        assertEquals(2, rejected.get("line").asInt());
        assertEquals("latin", rejected.get("id").asText());
        assertEquals("not valid UTF-8 (byte 50 of the line)", rejected.get("reason").asText());
    }

    @Test
    void confinedVideosOutsideTheManifestsTreeAreQuarantined() throws Exception {
        Path dir = Files.createDirectories(directory.resolve("shared/set"));
        ColourClips.write(dir.resolve("in.mp4"));
        ColourClips.write(directory.resolve("shared/out.mp4"));
        Path confined = Files.write(dir.resolve("manifest.jsonl"), List.of(
                "{\"id\": \"in\", \"video\": \"in.mp4\", \"problem_type\": \"ocr\", \"solution\": \"x\"}",
                "{\"id\": \"up\", \"video\": \"../out.mp4\", \"problem_type\": \"ocr\", \"solution\": \"x\"}"));
        PrepareOptions options = new PrepareOptions(confined.toString(), dir.resolve("out").toString(), FrameSamplingConfig.DEFAULTS,
                new VideoCacheConfig(directory.resolve("cache").toString(), 1 << 30), 2, OptionalDouble.empty(), true);
        assertEquals(new Preparation.Summary(2, 1, 1, 0, 0), Preparation.run(LocalSpark.session(), options));
        String reason = quarantine(dir.resolve("out")).get(2L);
        assertTrue(reason.startsWith("field 'video': ") && reason.contains("out.mp4 lies outside the manifest's directory"), reason);
    }

    private static List<String> ids(List<Row> rows) {
        return rows.stream().map(row -> row.<String>getAs(Columns.ID)).sorted().toList();
    }
}
