package ai.videorl.cluster.model.hf;

import ai.videorl.common.error.ErrorCode;
import ai.videorl.common.error.VideoRlException;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sharded checkpoint's {@code model.safetensors.index.json}: which shard file holds each tensor
 * (its {@code weight_map}; the {@code metadata} beside it is informative only and not read).
 *
 * @param file the index file
 * @param weightMap tensor name to shard file name, sorted by tensor name
 */
record CheckpointIndex(Path file, Map<String, String> weightMap) {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    CheckpointIndex {
        weightMap = Collections.unmodifiableMap(new TreeMap<>(weightMap));
    }

    static CheckpointIndex read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (JacksonException e) {
            throw problem(file, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new VideoRlException(ErrorCode.STORAGE_FAILURE, "reading checkpoint index " + file + " failed: " + e, e);
        }
        JsonNode weights = root == null ? null : root.get("weight_map");
        if (weights == null || !weights.isObject()) {
            throw problem(file, "field 'weight_map' must be an object of tensor name to shard file");
        }
        Map<String, String> weightMap = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = weights.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode shard = field.getValue();
            // A shard is a file beside the index: a path elsewhere would let a downloaded index read any file.
            if (!shard.isTextual() || shard.textValue().isEmpty() || shard.textValue().contains("/") || shard.textValue().contains("\\")
                    || shard.textValue().equals(".") || shard.textValue().equals("..")) {
                throw problem(file, "field 'weight_map." + field.getKey() + "' must name a shard file beside the index, found " + shard);
            }
            weightMap.put(field.getKey(), shard.textValue());
        }
        return new CheckpointIndex(file, weightMap);
    }

    /** The tensor names of each shard, shards in file-name order (which is shard order for HF's names). */
    Map<String, List<String>> tensorsByShard() {
        Map<String, List<String>> byShard = new TreeMap<>();
        weightMap.forEach((tensor, shard) -> byShard.computeIfAbsent(shard, key -> new ArrayList<>()).add(tensor));
        return byShard;
    }

    static VideoRlException problem(Path file, String problem) {
        return VideoRlException.invalidInput("checkpoint index " + file + ": " + problem);
    }
}
