package ai.videorl.cluster.store;

import ai.videorl.cluster.model.PolicyWeights;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Policy weights on any Hadoop filesystem, saved whole ({@link AtomicFiles}): a reader never sees
 * half a file under the final name.
 */
public final class WeightFiles {

    private WeightFiles() {
    }

    public static void save(PolicyWeights weights, String location, Configuration hadoop) throws IOException {
        AtomicFiles.write(location, hadoop, weights::write);
    }

    /** @throws ai.videorl.common.error.VideoRlException when the file is corrupted (named in the message) */
    public static PolicyWeights load(String location, Configuration hadoop) throws IOException {
        Path path = new Path(location);
        try (InputStream in = new BufferedInputStream(path.getFileSystem(hadoop).open(path))) {
            return PolicyWeights.read(in, location);
        }
    }
}
