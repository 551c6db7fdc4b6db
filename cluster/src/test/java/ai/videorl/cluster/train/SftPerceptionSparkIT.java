package ai.videorl.cluster.train;

import ai.djl.Device;
import ai.videorl.cluster.LocalSpark;
import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.config.TrainingConfigLoader;
import ai.videorl.cluster.model.PolicyWeights;
import ai.videorl.cluster.model.VideoPolicy;
import ai.videorl.cluster.store.CheckpointStore;
import ai.videorl.cluster.store.MetricsLog;
import ai.videorl.cluster.synth.SynthOptions;
import ai.videorl.cluster.synth.SynthWriter;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.synth.VideoFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SFT's perception stage on local[2]: the frame encoder trained on each frame's objects, then the usual SFT. */
class SftPerceptionSparkIT {

    private static final int PERCEPTION_STEPS = 30;
    private static final int SFT_STEPS = 2;

    @TempDir
    static Path directory;
    private static Path data;

    @BeforeAll
    static void synthesize() throws Exception {
        data = directory.resolve("synth");
        SynthWriter.write(new SynthOptions(data.toString(), 6, 5, VideoFormat.DEFAULT, 2));
    }

    private static TrainingConfig config(Path out, String references) {
        return TrainingConfigLoader.load(null, "test", List.of("data.train=" + data.resolve(SynthWriter.MANIFEST),
                "data.references=" + references, "run.out=" + out, "model.width=32", "model.layers=2", "model.heads=2",
                "model.max_length=192", "sft.perception_steps=" + PERCEPTION_STEPS, "sft.steps=" + SFT_STEPS, "sft.batch_size=6",
                "sft.warmup_steps=5", "model.patch_stride=2"));
    }

    @Test
    void theEncoderLearnsEachFramesObjectsThenSftGoesOnWithAPolicyWithoutTheHead() throws Exception {
        Path run = directory.resolve("sft");
        SftTrainer.Outcome outcome = new SftTrainer(LocalSpark.session(), config(run, data.resolve(SynthWriter.REFERENCES).toString()),
                System.out::println).train();
        assertEquals(PERCEPTION_STEPS + SFT_STEPS, outcome.steps());

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve(MetricsLog.FILE))) {
            lines.add(json.readTree(line));
        }
        assertEquals(PERCEPTION_STEPS + SFT_STEPS, lines.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = lines.get(i);
            assertEquals(i + 1, line.get("iteration").asInt(), "steps are numbered across the stages");
            String loss = i < PERCEPTION_STEPS ? SftTrainer.PERCEPTION_LOSS : SftTrainer.LOSS;
            assertTrue(line.has(loss), "step " + (i + 1) + " logs " + loss + ": " + line);
        }
        double first = lines.get(0).get(SftTrainer.PERCEPTION_LOSS).asDouble();
        double last = lines.get(PERCEPTION_STEPS - 1).get(SftTrainer.PERCEPTION_LOSS).asDouble();
        assertTrue(last < 0.6 * first, "the frame-tag loss falls: " + first + " -> " + last);

        PolicyWeights weights = new CheckpointStore(run.toString(), new Configuration(), 1).latest().checkpoint().orElseThrow().weights();
        assertEquals(0, weights.tiny().frameTags(), "the head is gone");
        try (VideoPolicy plain = VideoPolicy.create(weights.tiny(), Device.cpu(), 1)) {
            assertEquals(plain.parameters().names(), weights.names(), "the same tensors as a policy that never had the stage");
        }
    }

    @Test
    void referencesWithoutObjectsFailNamingTheFileAndTheSetting() throws Exception {
        Path references = ReferenceFiles.without(data.resolve(SynthWriter.REFERENCES), "objects", directory.resolve("plain-references.jsonl"));
        VideoRlException error = assertThrows(VideoRlException.class, () -> new SftTrainer(LocalSpark.session(),
                config(directory.resolve("no-objects"), references.toString()), System.out::println).train());
        assertTrue(error.getMessage().contains("plain-references.jsonl") && error.getMessage().contains("sft.perception_steps needs"),
                error.getMessage());
    }
}
