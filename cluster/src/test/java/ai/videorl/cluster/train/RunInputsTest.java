package ai.videorl.cluster.train;

import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.config.TrainingConfigLoader;
import ai.videorl.common.error.VideoRlException;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunInputsTest {

    @TempDir
    Path directory;

    private static TrainingConfig config(String... overrides) {
        return TrainingConfigLoader.load(null, "test", List.of(overrides));
    }

    private static String failure(TrainingConfig config, boolean sft) {
        return assertThrows(VideoRlException.class, () -> RunInputs.checkLocal(config, sft)).getMessage();
    }

    @Test
    void everyInputARunNeedsIsNamedWithItsKeyBeforeAnyWork() throws IOException {
        Path manifest = Files.writeString(directory.resolve("manifest.jsonl"), "{}\n");
        Path references = Files.writeString(directory.resolve("references.jsonl"), "{}\n");
        String train = "data.train=" + manifest;
        assertEquals("data.train must name a prepared dataset, a Parquet table or a manifest", failure(config(), false));
        assertEquals("data.train: " + directory.resolve("none.jsonl") + " does not exist",
                failure(config("data.train=" + directory.resolve("none.jsonl")), false));
        assertEquals("data.references must name the SFT targets (JSONL of id and response)", failure(config(train), true));
        assertEquals("data.references: " + directory.resolve("refs.jsonl") + " does not exist",
                failure(config(train, "data.references=" + directory.resolve("refs.jsonl")), true));
        assertEquals("data.eval: " + directory.resolve("eval") + " does not exist",
                failure(config(train, "data.eval=" + directory.resolve("eval")), false));
        assertEquals("model.init: " + directory + " is not a run directory (it has no vocabulary.json): name the directory "
                + "sft or train wrote", failure(config(train, "model.init=" + directory), false));

        assertEquals("model.path must name the Hugging Face checkpoint of model.architecture qwen2_5_vl",
                assertThrows(VideoRlException.class, () -> config(train, "model.architecture=qwen2_5_vl")).getMessage());
        String qwen = "model.architecture=qwen2_5_vl";
        assertEquals("model.path: " + directory.resolve("qwen") + " does not exist",
                failure(config(train, qwen, "model.path=" + directory.resolve("qwen")), false));
        assertEquals("sft.perception_steps 5: the perception stage trains the tiny policy's frame encoder; set it to 0 for "
                + "model.architecture qwen2_5_vl", failure(config(train, "data.references=" + references, qwen, "model.path=" + directory,
                "sft.perception_steps=5"), true));
        assertEquals("model.lora.rank must be at least 1, got 0", assertThrows(VideoRlException.class,
                () -> config(train, qwen, "model.path=" + directory, "model.lora.rank=0")).getMessage());
        assertEquals("model.lora.dropout must be in [0, 1), got 1.0", assertThrows(VideoRlException.class,
                () -> config(train, qwen, "model.path=" + directory, "model.lora.dropout=1")).getMessage());
        assertEquals("model.finetune must be lora or full, got all", assertThrows(VideoRlException.class,
                () -> config(train, qwen, "model.path=" + directory, "model.finetune=all")).getMessage());
        assertEquals("model.finetune full trains float32 weights: model.dtype must be float32, got bfloat16",
                assertThrows(VideoRlException.class, () -> config(train, qwen, "model.path=" + directory, "model.finetune=full",
                        "model.dtype=bfloat16")).getMessage());
        assertTrue(assertThrows(VideoRlException.class, () -> config(train, "model.finetune=full")).getMessage()
                .startsWith("model.finetune is for a pretrained model.architecture"));
        // A pretrained policy's run directory holds no vocabulary: model.init needs only its checkpoints.
        RunInputs.checkLocal(config(train, qwen, "model.path=" + directory, "model.init=" + directory), false);

        RunInputs.checkLocal(config(train), false);
        RunInputs.checkLocal(config(train, "data.references=" + references), true);
        // A remote location waits for the session's settings: checked by the trainer, not before Spark starts.
        RunInputs.checkLocal(config("data.train=s3a://bucket/none.jsonl"), false);
        assertEquals("data.train: " + manifest.resolveSibling("none") + " does not exist", assertThrows(VideoRlException.class,
                () -> RunInputs.check(config("data.train=" + manifest.resolveSibling("none")), false, new Configuration()))
                .getMessage());
    }
}
