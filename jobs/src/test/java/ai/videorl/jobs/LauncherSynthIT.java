package ai.videorl.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code synth}, then {@code prepare} on what it wrote, through the real launcher. */
class LauncherSynthIT {

    @TempDir
    Path directory;

    @Test
    void synthesizesABenchmarkThatPrepareAccepts() throws Exception {
        Path out = directory.resolve("bench");
        Launcher.Run synth = Launcher.run("synth", "--out", out.toString(), "--videos", "3", "--seed", "1");
        assertEquals(0, synth.status(), synth.stderr());
        for (String video : List.of("000000", "000001", "000002")) {
            assertTrue(Files.size(out.resolve("videos/" + video + ".mp4")) > 500, video);
        }
        assertEquals(15, Files.readAllLines(out.resolve("manifest.jsonl")).size());
        assertEquals(15, Files.readAllLines(out.resolve("references.jsonl")).size());
        assertEquals(3, Files.readAllLines(out.resolve("scenes.jsonl")).size());
        assertTrue(Files.readAllLines(out.resolve("manifest.jsonl")).get(0)
                .startsWith("{\"id\":\"000000-mc\",\"video\":\"videos/000000.mp4\""));
        assertTrue(synth.stdout().contains("synth: 3 videos, 15 samples (multiple_choice 3, numerical 3, exact_match 3, "
                + "temporal_grounding 3, grounded_qa 3)"), synth.stdout());

        Path prepared = directory.resolve("prepared");
        Launcher.Run prepare = Launcher.run("prepare", "--manifest", out.resolve("manifest.jsonl").toString(),
                "--out", prepared.toString(), "--grpo-fraction", "0.3");
        assertEquals(0, prepare.status(), prepare.stderr());
        assertTrue(prepare.stdout().contains("15 lines, 15 samples, 0 quarantined"), prepare.stdout());
        assertTrue(prepare.stdout().contains("split: 5 GRPO (hardest 30%), 10 SFT"), prepare.stdout());
        JsonNode summary = new ObjectMapper().readTree(prepared.resolve("summary.json").toFile());
        assertEquals(15, summary.get("samples").asInt());
        assertEquals(List.of(), Files.readAllLines(prepared.resolve("quarantine.jsonl")));
        assertTrue(Files.exists(prepared.resolve("grpo.parquet/_SUCCESS")));
    }
}
