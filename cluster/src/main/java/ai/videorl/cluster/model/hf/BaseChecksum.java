package ai.videorl.cluster.model.hf;

import ai.videorl.common.error.VideoRlException;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A checksum of a Hugging Face checkpoint's weights: CRC32C over {@code config.json} and every
 * {@code *.safetensors} file, in name order, each preceded by its name. Two copies of one
 * checkpoint agree wherever they are; a fine-tune of the same shapes does not. Files are mapped a
 * window at a time, so a 15 GB base costs one read of its bytes (about as long as loading it).
 */
public final class BaseChecksum {

    private static final long WINDOW = 1L << 30;

    private BaseChecksum() {
    }

    /** Checksums taken in this JVM, by directory and each file's name, size and modification time. */
    private static final Map<List<String>, Long> TAKEN = new ConcurrentHashMap<>();

    /**
     * The checksum of the checkpoint in {@code directory}. Taken once per JVM while its files stay
     * as they were: the driver takes it when a run starts, and in local mode the executor loading
     * the base, in the same JVM, finds it here instead of reading the weights again.
     */
    public static long of(Path directory) {
        List<Path> files = files(directory);
        List<String> key = new ArrayList<>();
        key.add(directory.toAbsolutePath().normalize().toString());
        try {
            for (Path file : files) {
                key.add(file.getFileName() + ":" + Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis());
            }
        } catch (IOException e) {
            throw unreadable(directory, e);
        }
        return TAKEN.computeIfAbsent(key, unused -> checksum(directory, files));
    }

    /** {@code config.json} and the weight files, in name order. */
    private static List<Path> files(Path directory) {
        try (Stream<Path> listing = Files.list(directory)) {
            List<Path> files = listing.filter(file -> {
                String name = file.getFileName().toString();
                return name.equals("config.json") || name.endsWith(".safetensors");
            }).sorted().toList();
            if (files.stream().noneMatch(file -> file.toString().endsWith(".safetensors"))) {
                throw VideoRlException.invalidConfiguration(directory + " holds no *.safetensors weights");
            }
            return files;
        } catch (IOException e) {
            throw unreadable(directory, e);
        }
    }

    private static long checksum(Path directory, List<Path> files) {
        CRC32C crc = new CRC32C();
        try {
            for (Path file : files) {
                crc.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    long size = channel.size();
                    for (long offset = 0; offset < size; offset += WINDOW) {
                        MappedByteBuffer window = channel.map(FileChannel.MapMode.READ_ONLY, offset, Math.min(WINDOW, size - offset));
                        crc.update(window);
                    }
                }
            }
        } catch (IOException e) {
            throw unreadable(directory, e);
        }
        return crc.getValue();
    }

    private static VideoRlException unreadable(Path directory, IOException e) {
        return VideoRlException.invalidConfiguration(directory + ": cannot read the checkpoint's weights: " + e.getMessage());
    }
}
