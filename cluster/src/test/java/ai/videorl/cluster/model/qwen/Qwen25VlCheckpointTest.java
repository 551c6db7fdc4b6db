package ai.videorl.cluster.model.qwen;

import ai.djl.Device;
import ai.videorl.cluster.model.hf.Safetensors;
import ai.videorl.cluster.model.hf.SafetensorsWriter;
import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A checkpoint that is not the Qwen2.5-VL its config.json describes fails on loading, naming the file and what differs. */
class Qwen25VlCheckpointTest {

    private static final Path SMALL = Paths.get("src/test/resources/qwen/models/small-tied");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    @Test
    void readsTheConfigOfEitherLayout() {
        Qwen25VlConfig config = Qwen25VlConfig.read(SMALL.resolve("config.json"));
        assertEquals(1024, config.text().vocabularySize());
        assertTrue(config.text().tiedEmbeddings());
        assertEquals(2, config.vision().windowUnits());
        assertFalse(Qwen25VlConfig.read(Paths.get("src/test/resources/qwen/models/gqa4-untied-sharded/config.json"))
                .text().tiedEmbeddings());
    }

    @Test
    void anotherModelTypeIsNamed() throws IOException {
        Path config = editedConfig(json -> json.put("model_type", "llava"));
        VideoRlException error = assertThrows(VideoRlException.class, () -> Qwen25VlConfig.read(config));
        assertTrue(error.getMessage().contains("model_type is 'llava'"), error.getMessage());
        assertTrue(error.getMessage().startsWith(config.toString()), error.getMessage());
    }

    @Test
    void aMissingOrWrongKeyIsNamed() throws IOException {
        VideoRlException missing = assertThrows(VideoRlException.class, () -> Qwen25VlConfig.read(editedConfig(json ->
                ((ObjectNode) json.get("vision_config")).remove("tokens_per_second"))));
        assertTrue(missing.getMessage().contains("vision_config.tokens_per_second is missing"), missing.getMessage());
        VideoRlException sections = assertThrows(VideoRlException.class, () -> Qwen25VlConfig.read(editedConfig(json ->
                ((ObjectNode) json.get("text_config").get("rope_scaling")).putArray("mrope_section").add(2).add(2).add(2))));
        assertTrue(sections.getMessage().contains("mrope_section"), sections.getMessage());
        VideoRlException absent = assertThrows(VideoRlException.class, () -> Qwen25VlConfig.read(directory.resolve("absent/config.json")));
        assertTrue(absent.getMessage().contains("does not exist"), absent.getMessage());
    }

    @Test
    void aTensorOfAnotherShapeIsNamed() throws IOException {
        copyCheckpoint();
        editedConfig(json -> ((ObjectNode) json.get("text_config")).put("intermediate_size", 96));
        VideoRlException error = assertThrows(VideoRlException.class, () -> Qwen25VlModel.load(directory, Device.cpu()));
        assertTrue(error.getMessage().contains("model.layers.0.mlp.") && error.getMessage().contains("has shape"),
                error.getMessage());
    }

    @Test
    void aMissingTensorIsNamed() throws IOException {
        Files.copy(SMALL.resolve("config.json"), directory.resolve("config.json"));
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        try (Safetensors checkpoint = Safetensors.open(SMALL)) {
            for (String name : checkpoint.entries().keySet()) {
                if (!name.equals("model.norm.weight")) {
                    tensors.put(name, SafetensorsWriter.Tensor.ofFloats(checkpoint.entry(name).type(),
                            checkpoint.entry(name).shape(), checkpoint.floats(name)));
                }
            }
        }
        SafetensorsWriter.write(directory.resolve("model.safetensors"), tensors, SafetensorsWriter.PYTORCH_METADATA);
        VideoRlException error = assertThrows(VideoRlException.class, () -> Qwen25VlModel.load(directory, Device.cpu()));
        assertTrue(error.getMessage().contains("1 tensors missing") && error.getMessage().contains("model.norm.weight"),
                error.getMessage());
    }

    private void copyCheckpoint() throws IOException {
        for (String file : new String[] {"config.json", "model.safetensors"}) {
            Files.copy(SMALL.resolve(file), directory.resolve(file));
        }
    }

    private Path editedConfig(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(SMALL.resolve("config.json").toFile());
        edit.accept(json);
        Path config = directory.resolve("config.json");
        JSON.writeValue(config.toFile(), json);
        return config;
    }
}
