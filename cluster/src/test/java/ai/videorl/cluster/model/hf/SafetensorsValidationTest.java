package ai.videorl.cluster.model.hf;

import ai.videorl.common.error.ErrorCode;
import ai.videorl.common.error.VideoRlException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static ai.videorl.cluster.model.hf.Fixtures.assertBadInput;
import static ai.videorl.cluster.model.hf.Fixtures.rawFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every malformed file or checkpoint is refused when opened, with the file and the tensor or field named. */
class SafetensorsValidationTest {

    @TempDir
    Path directory;

    private Path file(String header, int dataBytes) {
        return rawFile(directory.resolve("bad.safetensors"), header, new byte[dataBytes]);
    }

    @Test
    void aTruncatedFileIsRefused() throws IOException {
        Path tiny = Files.write(directory.resolve("tiny.safetensors"), new byte[] {1, 2, 3, 4, 5});
        assertBadInput(() -> Safetensors.open(tiny), "tiny.safetensors", "truncated");

        Path real = Files.copy(Fixtures.resource("dtypes/model.safetensors"), directory.resolve("cut.safetensors"));
        try (RandomAccessFile cut = new RandomAccessFile(real.toFile(), "rw")) {
            cut.setLength(cut.length() - 10);
        }
        assertBadInput(() -> Safetensors.open(real), "cut.safetensors", "reach past the data area");
    }

    @Test
    void aHeaderLengthBeyondTheFileIsRefused() throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(100).putLong(0);
        Path beyond = Files.write(directory.resolve("beyond.safetensors"), bytes.array());
        assertBadInput(() -> Safetensors.open(beyond), "beyond.safetensors", "header length 100", "16 bytes");

        ByteBuffer huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-2).putLong(0);
        Path negative = Files.write(directory.resolve("huge.safetensors"), huge.array());
        assertBadInput(() -> Safetensors.open(negative), "huge.safetensors", "header length 18446744073709551614");
    }

    @Test
    void aHeaderThatIsNotAJsonObjectIsRefused() throws IOException {
        assertBadInput(() -> Safetensors.open(file("{\"a\": {\"dtype\": \"F32\"", 0)), "bad.safetensors", "not valid JSON");
        assertBadInput(() -> Safetensors.open(file("[1, 2]  ", 0)), "bad.safetensors", "not a JSON object");
        assertBadInput(() -> Safetensors.open(file("{} {}   ", 0)), "bad.safetensors", "not valid JSON");
        Path latin = rawFile(directory.resolve("latin.safetensors"), "{\"x\":1}", new byte[0]);
        byte[] bytes = Files.readAllBytes(latin);
        bytes[10] = (byte) 0xE9;
        Files.write(latin, bytes);
        assertBadInput(() -> Safetensors.open(latin), "latin.safetensors", "UTF-8");
    }

    @Test
    void anEntryLackingAFieldOrWithAMalformedOneIsRefused() {
        assertBadInput(() -> Safetensors.open(file("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4)), "bad.safetensors", "'w'", "dtype",
                "missing");
        assertBadInput(() -> Safetensors.open(file("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4)), "'w'", "shape", "missing");
        assertBadInput(() -> Safetensors.open(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4)), "'w'", "data_offsets", "missing");
        assertBadInput(() -> Safetensors.open(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4)), "'w'", "shape");
        assertBadInput(() -> Safetensors.open(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4)), "'w'", "shape");
        assertBadInput(() -> Safetensors.open(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4)), "'w'",
                "data_offsets");
        assertBadInput(() -> Safetensors.open(file("{\"w\":7}", 0)), "bad.safetensors", "'w'", "object");
        assertBadInput(() -> Safetensors.open(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)), "bad.safetensors", "not valid JSON", "'w'");
    }

    @Test
    void anUnknownDtypeIsRefused() {
        assertBadInput(() -> Safetensors.open(file("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2)),
                "bad.safetensors", "'w'", "F8_E4M3", "BF16");
    }

    @Test
    void offsetsOutOfRangeOverlappingOrNotMatchingTheShapeAreRefused() {
        assertBadInput(() -> Safetensors.open(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4)),
                "bad.safetensors", "'w'", "[0, 8]", "reach past the data area's 4 bytes");
        assertBadInput(() -> Safetensors.open(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12)), "bad.safetensors", "'b'", "overlap", "'a'");
        assertBadInput(() -> Safetensors.open(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)),
                "bad.safetensors", "'a'", "span 8 bytes", "needs 12");
        assertBadInput(() -> Safetensors.open(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)),
                "bad.safetensors", "'a'", "[0, 4)");
        assertBadInput(() -> Safetensors.open(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 12)),
                "bad.safetensors", "trailing");
        assertBadInput(() -> Safetensors.open(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,4]}}", 4)),
                "bad.safetensors", "'a'", "overflows");
    }

    @Test
    void metadataMustMapStringsToStrings() {
        assertBadInput(() -> Safetensors.open(file("{\"__metadata__\":{\"format\":1}}", 0)), "bad.safetensors", "__metadata__.format");
        assertBadInput(() -> Safetensors.open(file("{\"__metadata__\":[]}", 0)), "bad.safetensors", "__metadata__");
    }

    @Test
    void aShardTheIndexNamesMustExist() throws IOException {
        Path checkpoint = copyOfSharded();
        Files.delete(checkpoint.resolve("model-00002-of-00003.safetensors"));
        assertBadInput(() -> Safetensors.open(checkpoint), "model.safetensors.index.json", "model-00002-of-00003.safetensors", "does not exist");
    }

    @Test
    void aTensorTheIndexPlacesInAShardMustBeInItsHeader() throws IOException {
        Path checkpoint = copyOfSharded();
        editIndex(checkpoint, "\"model.norm.weight\": \"model-00001-of-00003.safetensors\"",
                "\"model.norm.weight\": \"model-00001-of-00003.safetensors\",\n    \"model.norm.bias\": \"model-00001-of-00003.safetensors\"");
        assertBadInput(() -> Safetensors.open(checkpoint), "model-00001-of-00003.safetensors", "'model.norm.bias'", "does not hold it");
    }

    @Test
    void aTensorInAShardMustBeInTheIndexAndPlacedThere() throws IOException {
        Path omitted = copyOfSharded();
        editIndex(omitted, "    \"model.norm.weight\": \"model-00001-of-00003.safetensors\",\n", "");
        assertBadInput(() -> Safetensors.open(omitted), "model-00001-of-00003.safetensors", "'model.norm.weight'", "missing from");

        Path misplaced = copyOfSharded();
        editIndex(misplaced, "\"model.norm.weight\": \"model-00001-of-00003.safetensors\"",
                "\"model.norm.weight\": \"model-00003-of-00003.safetensors\"");
        assertBadInput(() -> Safetensors.open(misplaced), "'model.norm.weight'", "model-00001-of-00003.safetensors");
    }

    @Test
    void anIndexMustNameShardsBesideIt() throws IOException {
        Path checkpoint = copyOfSharded();
        editIndex(checkpoint, "\"model.norm.weight\": \"model-00001-of-00003.safetensors\"", "\"model.norm.weight\": \"../model.safetensors\"");
        assertBadInput(() -> Safetensors.open(checkpoint), "model.safetensors.index.json", "weight_map.model.norm.weight");
        Files.writeString(checkpoint.resolve(Safetensors.INDEX_FILE), "{\"metadata\": {}}");
        assertBadInput(() -> Safetensors.open(checkpoint), "model.safetensors.index.json", "weight_map");
    }

    @Test
    void aPathWithoutACheckpointIsAConfigurationError() {
        VideoRlException empty = assertThrows(VideoRlException.class, () -> Safetensors.open(directory));
        assertEquals(ErrorCode.INVALID_CONFIGURATION, empty.code());
        assertTrue(empty.getMessage().contains(directory.toString()) && empty.getMessage().contains(Safetensors.INDEX_FILE));
        VideoRlException missing = assertThrows(VideoRlException.class, () -> Safetensors.open(directory.resolve("absent.safetensors")));
        assertEquals(ErrorCode.INVALID_CONFIGURATION, missing.code());
        assertTrue(missing.getMessage().contains("absent.safetensors"));
    }

    private Path copyOfSharded() throws IOException {
        Path target = Files.createTempDirectory(directory, "sharded");
        try (Stream<Path> files = Files.list(Fixtures.resource("sharded"))) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName().toString()));
            }
        }
        return target;
    }

    private static void editIndex(Path checkpoint, String from, String to) throws IOException {
        Path index = checkpoint.resolve(Safetensors.INDEX_FILE);
        String text = Files.readString(index);
        assertTrue(text.contains(from), from);
        Files.writeString(index, text.replace(from, to));
    }
}
