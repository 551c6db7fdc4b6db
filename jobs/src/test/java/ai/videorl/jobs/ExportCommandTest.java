package ai.videorl.jobs;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.config.TrainingConfigLoader;
import ai.videorl.cluster.model.AdapterSpec;
import ai.videorl.cluster.model.ModelDtype;
import ai.videorl.cluster.model.PolicyArchitecture;
import ai.videorl.cluster.model.PolicyWeights;
import ai.videorl.cluster.model.hf.BaseChecksum;
import ai.videorl.cluster.model.qwen.LoraAdapters;
import ai.videorl.cluster.model.qwen.Qwen25VlConfig;
import ai.videorl.cluster.store.Checkpoint;
import ai.videorl.cluster.store.CheckpointStore;
import ai.videorl.common.optim.AdamW;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code export} on the LoRA fixtures of {@code scripts/qwen-fixtures/generate_lora.py}: the adapter
 * written back as PEFT wrote it, the merged checkpoint with the base's files, and an existing
 * {@code --out} refused before any work. (The merged weights themselves: {@code LoraMergeTest}.)
 */
class ExportCommandTest {

    private static final Path QWEN = Path.of("../cluster/src/test/resources/qwen");
    private static final Path BASE = QWEN.resolve("models/small-tied");
    private static final Path ADAPTER = QWEN.resolve("lora/lm-all/adapter");

    @TempDir
    Path directory;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = VideoRl.commandLine("export");
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void writesTheAdapterOrTheMergedCheckpoint() throws IOException {
        Path adapter = directory.resolve("adapter");
        assertEquals(0, run("export", "--model", BASE.toString(), "--adapter", ADAPTER.toString(), "--out", adapter.toString(),
                "--cache", directory.resolve("cache").toString()), err.toString());
        assertArrayEquals(Files.readAllBytes(ADAPTER.resolve("adapter_model.safetensors")),
                Files.readAllBytes(adapter.resolve("adapter_model.safetensors")));

        Path merged = directory.resolve("merged");
        assertEquals(0, run("export", "--model", BASE.toString(), "--adapter", ADAPTER.toString(), "--out", merged.toString(),
                "--merged", "--cache", directory.resolve("cache").toString()), err.toString());
        assertEquals(List.of("case.json", "config.json", "generation_config.json", "model.safetensors"), names(merged));
        assertArrayEquals(Files.readAllBytes(BASE.resolve("config.json")), Files.readAllBytes(merged.resolve("config.json")));
        assertFalse(List.of(Files.readAllBytes(BASE.resolve("model.safetensors"))).equals(
                List.of(Files.readAllBytes(merged.resolve("model.safetensors")))));
    }

    @Test
    void anExistingOutIsRefusedBeforeAnyWork() throws IOException {
        Path out = Files.createDirectories(directory.resolve("taken"));
        assertEquals(VideoRl.USER_ERROR_EXIT, run("export", "--model", BASE.toString(), "--adapter", ADAPTER.toString(),
                "--out", out.toString(), "--merged"));
        assertTrue(err.toString().contains("--out " + out + " already exists"), err.toString());
        assertEquals(List.of(), names(out));
        assertEquals(VideoRl.USER_ERROR_EXIT, run("export", "--model", QWEN.resolve("models/bf16-real-vocab").toString(),
                "--adapter", ADAPTER.toString(), "--out", directory.resolve("other").toString()));
        assertTrue(err.toString().contains("another base"), err.toString());
        assertFalse(Files.exists(directory.resolve("other")));
    }

    @Test
    void writesTheAdaptersARunTrained() throws IOException {
        Path run = trainedRun(BASE);
        Path adapter = directory.resolve("from-run");
        assertEquals(0, run("export", "--checkpoint", run.toString(), "--out", adapter.toString()), err.toString());
        // The run's float32 adapters are PEFT's own: the file is byte for byte the one PEFT saved.
        assertArrayEquals(Files.readAllBytes(ADAPTER.resolve("adapter_model.safetensors")),
                Files.readAllBytes(adapter.resolve("adapter_model.safetensors")));
        assertTrue(Files.readString(adapter.resolve("adapter_config.json")).contains(BASE.toString()), "the base the run trained on");

        Path fromRun = directory.resolve("merged-from-run");
        Path fromPeft = directory.resolve("merged-from-peft");
        assertEquals(0, run("export", "--checkpoint", run.resolve("checkpoints/iteration-00000003").toString(), "--merged",
                "--out", fromRun.toString()), err.toString());
        assertEquals(0, run("export", "--model", BASE.toString(), "--adapter", ADAPTER.toString(), "--merged", "--out",
                fromPeft.toString()), err.toString());
        assertArrayEquals(Files.readAllBytes(fromPeft.resolve("model.safetensors")), Files.readAllBytes(fromRun.resolve("model.safetensors")));
    }

    @Test
    void aRunOnAnotherBaseOrWithoutAdaptersIsRefused() throws IOException {
        Path copy = Files.createDirectories(directory.resolve("copy"));
        try (Stream<Path> files = Files.list(BASE)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        Path run = trainedRun(copy);
        Files.writeString(copy.resolve("config.json"), Files.readString(copy.resolve("config.json")) + "\n");
        assertEquals(VideoRl.USER_ERROR_EXIT, run("export", "--checkpoint", run.toString(), "--out", directory.resolve("x").toString()));
        assertTrue(err.toString().contains("they apply only to the base they were trained on"), err.toString());
        assertFalse(Files.exists(directory.resolve("x")));
        assertEquals(VideoRl.USER_ERROR_EXIT, run("export", "--adapter", ADAPTER.toString(), "--out", directory.resolve("y").toString()));
        assertTrue(err.toString().contains("--adapter needs --model"), err.toString());
    }

    /** A run directory whose checkpoint of iteration 3 holds the fixture's PEFT adapter, trained on {@code base}. */
    private Path trainedRun(Path base) throws IOException {
        Path run = directory.resolve("run-" + base.getFileName());
        TrainingConfig config = TrainingConfigLoader.load(null, "test", List.of("run.out=" + run, "model.architecture=qwen2_5_vl",
                "model.path=" + base));
        AdapterSpec spec = new AdapterSpec(PolicyArchitecture.QWEN2_5_VL, base.toString(), BaseChecksum.of(base), ModelDtype.FLOAT32, 4, 8,
                0);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            LoraAdapters adapters = LoraAdapters.readPeft(ADAPTER, Qwen25VlConfig.read(base.resolve("config.json")), manager);
            spec = new AdapterSpec(spec.architecture(), spec.basePath(), spec.baseChecksum(), spec.dtype(), adapters.rank(),
                    adapters.alpha(), 0);
            PolicyWeights weights = PolicyWeights.of(spec, adapters.trainableWeights(3));
            new CheckpointStore(run.toString(), new Configuration(), 1).commit(new Checkpoint(3, weights,
                    new AdamW(config.optimizer().toAdamW(), weights.values().length).state(), "{}", TrainingConfigLoader.toYaml(config)));
        }
        return run;
    }

    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
