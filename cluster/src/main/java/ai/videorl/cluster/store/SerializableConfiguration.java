package ai.videorl.cluster.store;

import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;

/**
 * A Hadoop {@link Configuration} that travels to executors inside a task, so that they open
 * {@code s3a://} or {@code hdfs://} paths with the driver's settings and credential providers.
 */
public final class SerializableConfiguration implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private transient Configuration configuration;

    public SerializableConfiguration(Configuration configuration) {
        this.configuration = configuration;
    }

    public Configuration get() {
        return configuration;
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        configuration.write(out);
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        configuration = new Configuration(false);
        configuration.readFields(in);
    }
}
