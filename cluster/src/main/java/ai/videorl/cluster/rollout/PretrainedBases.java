package ai.videorl.cluster.rollout;

import ai.djl.Device;
import ai.videorl.cluster.model.AdapterSpec;
import ai.videorl.cluster.model.PolicyArchitecture;
import ai.videorl.cluster.model.PretrainedSpec;
import ai.videorl.cluster.model.hf.BaseChecksum;
import ai.videorl.cluster.model.hf.CheckpointDirectories;
import ai.videorl.cluster.model.qwen.Qwen25VlModel;
import ai.videorl.cluster.model.qwen.QwenStopTokens;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkEnv;
import org.apache.spark.deploy.SparkHadoopUtil;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The frozen pretrained bases an executor JVM holds: each loaded once per device from the
 * location the spec names (a remote one copied into a local cache first), checked against the
 * checksum the driver took, and shared by every shard of adapters over it — the trained policy and
 * its reference use one copy of the base.
 */
final class PretrainedBases {

    /** A loaded base and the token ids that end its responses. */
    record Base(Qwen25VlModel model, Set<Integer> stopTokens) {
    }

    private record Key(String location, long checksum, Device device) {
    }

    private static final Map<Key, Base> BASES = new HashMap<>();

    private PretrainedBases() {
    }

    /** The base {@code spec} names on {@code device}, loading it the first time. Callers hold {@link PolicyShards}' lock. */
    static Base forSpec(AdapterSpec spec, Device device) {
        Key key = new Key(spec.basePath(), spec.baseChecksum(), device);
        Base base = BASES.get(key);
        if (base != null) {
            return base;
        }
        Path local = checkout(spec);
        base = new Base(Qwen25VlModel.load(local, device, spec.dtype()), QwenStopTokens.read(local));
        BASES.put(key, base);
        return base;
    }

    /**
     * The checkpoint {@code spec} names, on this machine (a remote one copied into the executor's
     * cache once), checked to be the one the driver started from.
     */
    static Path checkout(PretrainedSpec spec) {
        if (spec.architecture() != PolicyArchitecture.QWEN2_5_VL) {
            throw new IllegalStateException("no pretrained loader for " + spec.architecture());
        }
        Path local = CheckpointDirectories.local(spec.basePath(), CheckpointDirectories.executorCache(), hadoop());
        spec.requireBase(BaseChecksum.of(local), local + " on " + host());
        return local;
    }

    static void closeAll() {
        BASES.values().forEach(base -> base.model().close());
        BASES.clear();
    }

    /** The application's Hadoop settings (its {@code spark.hadoop.*} included) where Spark runs, else the defaults. */
    private static Configuration hadoop() {
        SparkEnv env = SparkEnv.get();
        return env == null ? new Configuration() : SparkHadoopUtil.get().newConfiguration(env.conf());
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "this host";
        }
    }
}
