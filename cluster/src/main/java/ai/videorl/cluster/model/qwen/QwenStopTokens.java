package ai.videorl.cluster.model.qwen;

import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A checkpoint's end-of-response tokens: {@code generation_config.json}'s {@code eos_token_id},
 * else {@code config.json}'s; one id or a list, as transformers' generation reads them.
 */
public final class QwenStopTokens {

    private QwenStopTokens() {
    }

    public static Set<Integer> read(Path directory) {
        for (String file : new String[] {"generation_config.json", "config.json"}) {
            Path path = directory.resolve(file);
            if (!Files.isRegularFile(path)) {
                continue;
            }
            JsonNode eos;
            try {
                eos = new ObjectMapper().readTree(path.toFile()).get("eos_token_id");
            } catch (IOException e) {
                throw VideoRlException.invalidConfiguration(path + ": not readable JSON: " + e.getMessage());
            }
            if (eos == null || eos.isNull()) {
                continue;
            }
            Set<Integer> ids = new HashSet<>();
            for (JsonNode id : eos.isArray() ? eos : List.of(eos)) {
                if (!id.canConvertToInt()) {
                    throw VideoRlException.invalidConfiguration(path + ": eos_token_id must be an id or a list of ids, got " + eos);
                }
                ids.add(id.intValue());
            }
            return Set.copyOf(ids);
        }
        throw VideoRlException.invalidConfiguration(directory + ": neither generation_config.json nor config.json names an "
                + "eos_token_id, so a response would never end before the length limit");
    }
}
