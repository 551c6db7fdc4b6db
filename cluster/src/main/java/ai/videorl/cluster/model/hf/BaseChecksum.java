package ai.videorl.cluster.model.hf;

import ai.videorl.common.error.VideoRlException;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
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

    public static long of(Path directory) {
        CRC32C crc = new CRC32C();
        try (Stream<Path> listing = Files.list(directory)) {
            List<Path> files = listing.filter(file -> {
                String name = file.getFileName().toString();
                return name.equals("config.json") || name.endsWith(".safetensors");
            }).sorted().toList();
            if (files.stream().noneMatch(file -> file.toString().endsWith(".safetensors"))) {
                throw VideoRlException.invalidConfiguration(directory + " holds no *.safetensors weights");
            }
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
            throw VideoRlException.invalidConfiguration(directory + ": cannot read the checkpoint's weights: " + e.getMessage());
        }
        return crc.getValue();
    }
}
