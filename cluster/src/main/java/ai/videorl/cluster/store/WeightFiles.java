package ai.videorl.cluster.store;

import ai.videorl.cluster.model.PolicyWeights;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.UUID;

/**
 * Policy weights on any Hadoop filesystem. A save writes a temporary file beside the target and
 * renames it into place, so a reader never sees half a file under the final name.
 */
public final class WeightFiles {

    private WeightFiles() {
    }

    public static void save(PolicyWeights weights, String location, Configuration hadoop) throws IOException {
        Path target = new Path(location);
        FileSystem fileSystem = target.getFileSystem(hadoop);
        Path partial = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".partial");
        try {
            try (FSDataOutputStream raw = fileSystem.create(partial, false); OutputStream out = new BufferedOutputStream(raw)) {
                weights.write(out);
            }
            fileSystem.delete(target, false);
            if (!fileSystem.rename(partial, target)) {
                throw new IOException("could not rename " + partial + " to " + target);
            }
        } finally {
            fileSystem.delete(partial, false);
        }
    }

    /** @throws ai.videorl.common.error.VideoRlException when the file is corrupted (named in the message) */
    public static PolicyWeights load(String location, Configuration hadoop) throws IOException {
        Path path = new Path(location);
        try (InputStream in = new BufferedInputStream(path.getFileSystem(hadoop).open(path))) {
            return PolicyWeights.read(in, location);
        }
    }
}
