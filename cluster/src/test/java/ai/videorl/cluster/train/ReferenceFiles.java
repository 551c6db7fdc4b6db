package ai.videorl.cluster.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Altered copies of a references file, for the errors SFT gives when a stage's field is missing. */
final class ReferenceFiles {

    private ReferenceFiles() {
    }

    /** {@code source} with {@code field} taken out of every line, written to {@code target}. */
    static Path without(Path source, String field, Path target) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(source)) {
            lines.add(json.writeValueAsString(((ObjectNode) json.readTree(line)).without(field)));
        }
        return Files.write(target, lines);
    }
}
