package ai.videorl.cluster.store;

import ai.videorl.cluster.model.PolicyWeights;
import ai.videorl.common.error.ErrorCode;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.optim.AdamW;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Checkpoints under {@code RUN_DIR/checkpoints/iteration-NNNNNNNN/} on any Hadoop filesystem.
 * A commit writes {@code weights.bin}, {@code optimizer.bin}, {@code state.json} and
 * {@code config.yaml}, then the {@code _COMMITTED} marker last: a checkpoint without its marker
 * (a crash mid-write, on S3 too, where renames are not atomic) is never read. Loading takes the
 * newest committed checkpoint that reads back intact; a corrupt one is skipped, logged and
 * reported, and the previous one is used.
 */
public final class CheckpointStore {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);

    static final String MARKER = "_COMMITTED";
    static final String WEIGHTS = "weights.bin";
    static final String OPTIMIZER = "optimizer.bin";
    static final String STATE = "state.json";
    static final String CONFIG = "config.yaml";
    private static final String PREFIX = "iteration-";
    private static final int OPTIMIZER_MAGIC = 0x56524c4f; // "VRLO"

    private final String runDirectory;
    private final Path directory;
    private final Configuration hadoop;
    private final int keep;

    /**
     * @param runDirectory the run's directory (any Hadoop URI)
     * @param keep committed checkpoints to keep; older ones are deleted after each commit
     */
    public CheckpointStore(String runDirectory, Configuration hadoop, int keep) {
        if (keep < 1) {
            throw VideoRlException.invalidConfiguration("at least one checkpoint must be kept, got " + keep);
        }
        this.runDirectory = runDirectory;
        this.directory = new Path(runDirectory, "checkpoints");
        this.hadoop = hadoop;
        this.keep = keep;
    }

    /** What loading found: the checkpoint, if any, and the newer ones it had to skip, with why. */
    public record Loaded(Optional<Checkpoint> checkpoint, List<String> skipped) {
        public Loaded {
            skipped = List.copyOf(skipped);
        }

        /** The checkpoint, or an error naming the setting ({@code key}) that pointed at a run without one. */
        public Checkpoint orElseThrow(String key, String runDirectory) {
            return checkpoint.orElseThrow(() -> VideoRlException.invalidConfiguration(key + ": " + runDirectory
                    + " has no committed checkpoint" + (skipped.isEmpty() ? "" : " intact: " + skipped)));
        }
    }

    /**
     * Writes the checkpoint, marker last.
     *
     * @throws IOException naming the checkpoint's directory when the filesystem fails (after its
     *         own retries); the checkpoint is then not committed and loading ignores it
     */
    public void commit(Checkpoint checkpoint) throws IOException {
        Path target = new Path(directoryOf(runDirectory, checkpoint.iteration()));
        FileSystem fileSystem = target.getFileSystem(hadoop);
        try {
            if (fileSystem.exists(target)) {
                fileSystem.delete(target, true); // an uncommitted leftover of a crashed attempt
            }
            write(fileSystem, new Path(target, WEIGHTS), checkpoint.weights()::write);
            write(fileSystem, new Path(target, OPTIMIZER), out -> writeOptimizer(checkpoint.optimizer(), out));
            write(fileSystem, new Path(target, STATE), out -> out.write(checkpoint.state().getBytes(StandardCharsets.UTF_8)));
            write(fileSystem, new Path(target, CONFIG), out -> out.write(checkpoint.config().getBytes(StandardCharsets.UTF_8)));
            write(fileSystem, new Path(target, MARKER), out -> out.write(Long.toString(checkpoint.iteration()).getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IOException("could not commit the checkpoint of iteration " + checkpoint.iteration() + " to " + target
                    + " (it stays uncommitted: --resume uses the previous one): " + e.getMessage(), e);
        }
        LOG.info("checkpoint of iteration {} committed to {}", checkpoint.iteration(), target);
        prune(fileSystem);
    }

    /** The newest committed checkpoint that reads back intact. */
    public Loaded latest() throws IOException {
        List<String> skipped = new ArrayList<>();
        for (Path candidate : committed()) {
            try {
                return new Loaded(Optional.of(read(candidate, hadoop)), skipped);
            } catch (VideoRlException | IOException e) {
                String reason = candidate.getName() + ": " + e.getMessage();
                LOG.warn("skipping checkpoint {}", reason);
                skipped.add(reason);
            }
        }
        return new Loaded(Optional.empty(), skipped);
    }

    /**
     * The checkpoint in {@code checkpointDirectory} (one {@code iteration-NNNNNNNN} directory),
     * which must be committed.
     */
    public static Checkpoint readCommitted(String checkpointDirectory, Configuration hadoop) throws IOException {
        Path checkpoint = new Path(checkpointDirectory);
        FileSystem fileSystem = checkpoint.getFileSystem(hadoop);
        if (!checkpoint.getName().startsWith(PREFIX) || !fileSystem.exists(new Path(checkpoint, MARKER))) {
            throw VideoRlException.invalidConfiguration(checkpointDirectory + " is not a committed checkpoint (an "
                    + PREFIX + "N directory holding " + MARKER + ")");
        }
        return read(checkpoint, hadoop);
    }

    /** Where the checkpoint of {@code iteration} of the run in {@code runDirectory} lives. */
    public static String directoryOf(String runDirectory, long iteration) {
        return new Path(new Path(runDirectory, "checkpoints"), String.format(Locale.ROOT, PREFIX + "%08d", iteration)).toString();
    }

    /** Whether {@code directory} is one checkpoint rather than a run directory. */
    public static boolean isCheckpoint(String directory) {
        return new Path(directory).getName().startsWith(PREFIX);
    }

    /** Committed checkpoint directories, newest first. */
    List<Path> committed() throws IOException {
        FileSystem fileSystem = directory.getFileSystem(hadoop);
        if (!fileSystem.exists(directory)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        for (FileStatus status : fileSystem.listStatus(directory)) {
            if (status.isDirectory() && status.getPath().getName().startsWith(PREFIX)
                    && fileSystem.exists(new Path(status.getPath(), MARKER))) {
                found.add(status.getPath());
            }
        }
        found.sort(Comparator.comparing(Path::getName).reversed());
        return found;
    }

    private static Checkpoint read(Path checkpoint, Configuration hadoop) throws IOException {
        FileSystem fileSystem = checkpoint.getFileSystem(hadoop);
        long iteration = Long.parseLong(checkpoint.getName().substring(PREFIX.length()));
        PolicyWeights weights;
        try (InputStream in = fileSystem.open(new Path(checkpoint, WEIGHTS))) {
            weights = PolicyWeights.read(new BufferedInputStream(in), checkpoint + "/" + WEIGHTS);
        }
        AdamW.State optimizer;
        try (InputStream in = fileSystem.open(new Path(checkpoint, OPTIMIZER))) {
            optimizer = readOptimizer(in.readAllBytes(), checkpoint + "/" + OPTIMIZER);
        }
        return new Checkpoint(iteration, weights, optimizer, text(fileSystem, new Path(checkpoint, STATE)),
                text(fileSystem, new Path(checkpoint, CONFIG)));
    }

    private void prune(FileSystem fileSystem) throws IOException {
        List<Path> all = committed();
        for (Path old : all.subList(Math.min(keep, all.size()), all.size())) {
            fileSystem.delete(old, true);
        }
    }

    @FunctionalInterface
    private interface Writing {
        void to(OutputStream out) throws IOException;
    }

    private static void write(FileSystem fileSystem, Path path, Writing writing) throws IOException {
        try (FSDataOutputStream raw = fileSystem.create(path, true); OutputStream out = new BufferedOutputStream(raw)) {
            writing.to(out);
        }
    }

    private static String text(FileSystem fileSystem, Path path) throws IOException {
        try (InputStream in = fileSystem.open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Magic, steps, length, m, v (doubles), CRC32C of all before it. */
    static void writeOptimizer(AdamW.State state, OutputStream out) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(bytes);
        data.writeInt(OPTIMIZER_MAGIC);
        data.writeLong(state.steps());
        data.writeInt(state.firstMoment().length);
        for (double value : state.firstMoment()) {
            data.writeDouble(value);
        }
        for (double value : state.secondMoment()) {
            data.writeDouble(value);
        }
        data.flush();
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        data.writeLong(crc.getValue());
        data.flush();
        out.write(bytes.toByteArray());
    }

    static AdamW.State readOptimizer(byte[] bytes, String source) {
        if (bytes.length < 24) {
            throw new VideoRlException(ErrorCode.INVALID_INPUT, "corrupted optimizer state " + source + ": truncated");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 8);
        try {
            DataInputStream data = new DataInputStream(new ByteArrayInputStream(bytes));
            if (data.readInt() != OPTIMIZER_MAGIC) {
                throw new IOException("not an optimizer state");
            }
            long steps = data.readLong();
            int length = data.readInt();
            if (length < 0 || bytes.length != 4 + 8 + 4 + 16L * length + 8) {
                throw new IOException("truncated or padded");
            }
            double[] first = new double[length];
            double[] second = new double[length];
            for (int i = 0; i < length; i++) {
                first[i] = data.readDouble();
            }
            for (int i = 0; i < length; i++) {
                second[i] = data.readDouble();
            }
            if (data.readLong() != crc.getValue()) {
                throw new IOException("checksum mismatch");
            }
            return new AdamW.State(steps, first, second);
        } catch (IOException e) {
            throw new VideoRlException(ErrorCode.INVALID_INPUT,
                    "corrupted optimizer state " + source + ": " + e.getMessage());
        }
    }
}
