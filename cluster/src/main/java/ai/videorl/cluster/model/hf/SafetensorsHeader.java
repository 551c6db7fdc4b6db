package ai.videorl.cluster.model.hf;

import ai.videorl.common.error.VideoRlException;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One safetensors file's header, read and checked as the safetensors crate checks it before any
 * tensor is touched: an 8-byte little-endian length, that many bytes of UTF-8 JSON object, each
 * entry's dtype, shape and data_offsets consistent, and the tensors covering the data area
 * exactly (no overlap, no gap, nothing after the last), since files that break these rules are
 * corrupt or truncated and Python's safetensors refuses them too. Every error names the file and
 * the field or tensor at fault.
 *
 * @param file the file read
 * @param entries the tensors by name, sorted
 * @param metadata the {@code __metadata__} map (empty when absent)
 */
record SafetensorsHeader(Path file, Map<String, TensorEntry> entries, Map<String, String> metadata) {

    /** The safetensors crate refuses longer headers; so do we, before allocating for one. */
    static final long MAX_HEADER_BYTES = 100_000_000;

    static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    SafetensorsHeader {
        entries = Collections.unmodifiableMap(new TreeMap<>(entries));
        metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
    }

    /** Reads and validates the header of {@code file}, open as {@code channel}. */
    static SafetensorsHeader read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < Long.BYTES) {
            throw problem(file, "truncated: " + fileSize + " bytes, but a safetensors file starts with an 8-byte header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.getLong(0);
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw problem(file, "header length " + Long.toUnsignedString(headerLength) + " is beyond the " + MAX_HEADER_BYTES
                    + " bytes safetensors allows (not a safetensors file?)");
        }
        if (headerLength > fileSize - Long.BYTES) {
            throw problem(file, "header length " + headerLength + " reaches past the end of the file (" + fileSize
                    + " bytes): the file is truncated or not a safetensors file");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, Long.BYTES);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(headerBytes.flip()).toString();
        } catch (CharacterCodingException e) {
            throw problem(file, "the header is not valid UTF-8");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            throw problem(file, "the header is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw problem(file, "the header is not a JSON object");
        }
        long dataStart = Long.BYTES + headerLength;
        return parse(file, root, dataStart, fileSize - dataStart);
    }

    private static SafetensorsHeader parse(Path file, JsonNode root, long dataStart, long dataSize) {
        Map<String, String> metadata = Map.of();
        List<TensorEntry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals(METADATA_KEY)) {
                metadata = metadata(file, field.getValue());
            } else {
                entries.add(entry(file, field.getKey(), field.getValue(), dataStart, dataSize));
            }
        }
        checkCoverage(file, entries, dataStart, dataSize);
        Map<String, TensorEntry> byName = new TreeMap<>();
        for (TensorEntry entry : entries) {
            byName.put(entry.name(), entry);
        }
        return new SafetensorsHeader(file, byName, metadata);
    }

    private static Map<String, String> metadata(Path file, JsonNode node) {
        if (!node.isObject()) {
            throw problem(file, "field '" + METADATA_KEY + "' must be an object of strings, found " + node.getNodeType());
        }
        Map<String, String> metadata = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isTextual()) {
                throw problem(file, "field '" + METADATA_KEY + "." + field.getKey() + "' must be a string, found "
                        + field.getValue().getNodeType());
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
        return metadata;
    }

    private static TensorEntry entry(Path file, String name, JsonNode node, long dataStart, long dataSize) {
        if (!node.isObject()) {
            throw tensorProblem(file, name, "must be an object with dtype, shape and data_offsets, found " + node.getNodeType());
        }
        JsonNode dtype = required(file, name, node, "dtype");
        if (!dtype.isTextual()) {
            throw tensorProblem(file, name, "dtype must be a string, found " + dtype);
        }
        TensorType type = TensorType.named(dtype.textValue()).orElseThrow(() -> tensorProblem(file, name,
                "unknown or unsupported dtype '" + dtype.textValue() + "' (supported: " + Arrays.toString(TensorType.values()) + ")"));
        long[] shape = naturals(file, name, "shape", required(file, name, node, "shape"));
        long[] offsets = naturals(file, name, "data_offsets", required(file, name, node, "data_offsets"));
        if (offsets.length != 2 || offsets[0] > offsets[1]) {
            throw tensorProblem(file, name, "data_offsets must be [begin, end] with begin <= end, found " + Arrays.toString(offsets));
        }
        if (offsets[1] > dataSize) {
            throw tensorProblem(file, name, "data_offsets " + Arrays.toString(offsets) + " reach past the data area's " + dataSize
                    + " bytes (the file is truncated or the header is wrong)");
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(TensorEntry.elementCount(shape), type.byteSize());
        } catch (ArithmeticException e) {
            throw tensorProblem(file, name, "shape " + Arrays.toString(shape) + " of " + type + " overflows a 64-bit byte count");
        }
        if (offsets[1] - offsets[0] != bytes) {
            throw tensorProblem(file, name, "data_offsets " + Arrays.toString(offsets) + " span " + (offsets[1] - offsets[0])
                    + " bytes, but " + type + " " + Arrays.toString(shape) + " needs " + bytes);
        }
        return new TensorEntry(name, type, shape, file, dataStart + offsets[0], dataStart + offsets[1]);
    }

    private static JsonNode required(Path file, String name, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            throw tensorProblem(file, name, "field '" + field + "' is missing");
        }
        return value;
    }

    /** A JSON array of non-negative integers that fit a long. */
    private static long[] naturals(Path file, String name, String field, JsonNode node) {
        if (!node.isArray()) {
            throw tensorProblem(file, name, field + " must be an array of non-negative integers, found " + node);
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode element = node.get(i);
            if (!element.isIntegralNumber() || !element.canConvertToLong() || element.longValue() < 0) {
                throw tensorProblem(file, name, field + " must be an array of non-negative integers, found " + node);
            }
            values[i] = element.longValue();
        }
        return values;
    }

    /** The tensors, in offset order, must tile the data area exactly. */
    private static void checkCoverage(Path file, List<TensorEntry> entries, long dataStart, long dataSize) {
        List<TensorEntry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
        long covered = 0;
        TensorEntry previous = null;
        for (TensorEntry entry : byOffset) {
            long begin = entry.begin() - dataStart;
            if (begin < covered) {
                throw tensorProblem(file, entry.name(), "data_offsets " + offsets(entry, dataStart) + " overlap those of tensor '"
                        + previous.name() + "' " + offsets(previous, dataStart));
            }
            if (begin > covered) {
                throw tensorProblem(file, entry.name(), "data_offsets " + offsets(entry, dataStart) + " leave bytes [" + covered + ", "
                        + begin + ") of the data area to no tensor; safetensors stores tensors back to back");
            }
            covered = entry.end() - dataStart;
            previous = entry;
        }
        if (covered != dataSize) {
            throw problem(file, "the tensors cover " + covered + " bytes of the data area, but it holds " + dataSize
                    + " (trailing bytes after the last tensor)");
        }
    }

    private static String offsets(TensorEntry entry, long dataStart) {
        return "[" + (entry.begin() - dataStart) + ", " + (entry.end() - dataStart) + "]";
    }

    private static void readFully(FileChannel channel, ByteBuffer target, long position) throws IOException {
        while (target.hasRemaining()) {
            int read = channel.read(target, position + target.position());
            if (read < 0) {
                throw new EOFException("end of file at " + (position + target.position()));
            }
        }
    }

    static VideoRlException problem(Path file, String problem) {
        return VideoRlException.invalidInput("safetensors file " + file + ": " + problem);
    }

    static VideoRlException tensorProblem(Path file, String tensor, String problem) {
        return problem(file, "tensor '" + tensor + "': " + problem);
    }
}
