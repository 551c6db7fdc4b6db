package ai.videorl.cluster.store;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;

/**
 * Whole files on any Hadoop filesystem, written to a temporary name beside the target and
 * renamed into place, so a reader never sees half a file under the final name.
 */
public final class AtomicFiles {

    /** What goes into the file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    public static void write(String location, Configuration hadoop, Content content) throws IOException {
        Path target = new Path(location);
        FileSystem fileSystem = target.getFileSystem(hadoop);
        Path partial = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".partial");
        try {
            try (FSDataOutputStream raw = fileSystem.create(partial, false); OutputStream out = new BufferedOutputStream(raw)) {
                content.writeTo(out);
            }
            fileSystem.delete(target, false);
            if (!fileSystem.rename(partial, target)) {
                throw new IOException("could not rename " + partial + " to " + target);
            }
        } finally {
            fileSystem.delete(partial, false);
        }
    }
}
