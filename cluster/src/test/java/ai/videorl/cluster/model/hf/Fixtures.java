package ai.videorl.cluster.model.hf;

import ai.videorl.common.error.ErrorCode;
import ai.videorl.common.error.VideoRlException;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fixtures scripts/safetensors-fixtures/generate.py wrote with Python's safetensors and torch, and helpers to read them raw. */
final class Fixtures {

    private Fixtures() {
    }

    static Path resource(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/safetensors/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A tensor's stored 16-bit patterns, read straight from the file (no conversion of ours involved). */
    static short[] rawShorts(TensorEntry entry) {
        ByteBuffer bytes = rawBytes(entry);
        short[] values = new short[bytes.remaining() / 2];
        bytes.asShortBuffer().get(values);
        return values;
    }

    static ByteBuffer rawBytes(TensorEntry entry) {
        try (FileChannel channel = FileChannel.open(entry.file(), StandardOpenOption.READ)) {
            ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(entry.byteCount())).order(ByteOrder.LITTLE_ENDIAN);
            while (bytes.hasRemaining()) {
                channel.read(bytes, entry.begin() + bytes.position());
            }
            return bytes.flip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    /** A file holding exactly the given header text (its length prefix computed) followed by {@code data}. */
    static Path rawFile(Path file, String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(Long.BYTES + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(json.length).put(json).put(data);
        try {
            return Files.write(file, bytes.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts {@code action} fails as bad input with a message holding every fragment (the file, the tensor or field, the fault). */
    static VideoRlException assertBadInput(Executable action, String... fragments) {
        VideoRlException failure = assertThrows(VideoRlException.class, action);
        assertEquals(ErrorCode.INVALID_INPUT, failure.code(), failure.getMessage());
        for (String fragment : fragments) {
            assertTrue(failure.getMessage().contains(fragment), () -> "'" + fragment + "' missing from: " + failure.getMessage());
        }
        return failure;
    }
}
