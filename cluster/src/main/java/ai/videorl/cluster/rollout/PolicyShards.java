package ai.videorl.cluster.rollout;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.videorl.cluster.model.AdapterSpec;
import ai.videorl.cluster.model.FullModelSpec;
import ai.videorl.cluster.model.Policy;
import ai.videorl.cluster.model.PolicyConfig;
import ai.videorl.cluster.model.PolicySpec;
import ai.videorl.cluster.model.PolicyWeights;
import ai.videorl.cluster.model.VideoPolicy;
import ai.videorl.cluster.model.qwen.LoraAdapters;
import ai.videorl.cluster.model.qwen.QwenPolicy;

import java.util.HashMap;
import java.util.Map;

/**
 * The policy shards an executor JVM holds: one per role (the policy being trained, the frozen
 * reference) and device, loaded from the pushed weights the first time a task needs a version
 * and reused by every later task on that device until another push replaces it — then the
 * old shard is closed (or its tensors reloaded when the shape is the same). Thread-safe: tasks of
 * one executor share a shard (a {@link Policy} serialises its calls). A tiny policy's push
 * holds all its weights; a pretrained one's holds its adapters, over a base the executor loads
 * itself once ({@link PretrainedBases}) and its shards share, or, fully fine-tuned, all its
 * weights, loaded into a copy of the checkpoint each shard holds.
 */
public final class PolicyShards {

    /** Which policy a shard holds. */
    public enum Role { POLICY, REFERENCE }

    private record Key(Role role, Device device) {
    }

    /**
     * The shard of one role and device, the push it was loaded from and the weight version
     * that push holds. The push, not the version, says whether the shard is current:
     * two runs in one application (the demo's SFT and GRPO, test suites) number their versions
     * independently, and a version number alone would hand one run the other's weights.
     */
    private record Shard(long push, long version, Policy policy, PolicySpec spec) {
    }

    private static final Map<Key, Shard> SHARDS = new HashMap<>();
    private static long loads;

    private PolicyShards() {
    }

    /** This task's device's shard of the weights' role at their version, loading it if needed. */
    public static Policy forTask(PushedWeights weights) {
        return forDevice(Devices.forCurrentTask(), weights);
    }

    static synchronized Policy forDevice(Device device, PushedWeights weights) {
        Key key = new Key(weights.role(), device);
        Shard shard = SHARDS.get(key);
        long version = weights.version();
        if (shard != null && shard.push() == weights.id() && shard.version() == version) {
            return shard.policy();
        }
        PolicyWeights loaded = weights.read();
        if (loaded.version() != version) {
            throw new IllegalStateException("push " + weights.id() + " holds weights v" + loaded.version()
                    + ", not the v" + version + " the driver announced");
        }
        Policy policy;
        if (shard != null && shard.spec().equals(loaded.spec())) {
            // Same shape: new values into the same tensors. Safe because the driver pushes
            // version v + 1 only after every task of version v has finished; a retried task of an
            // older version loads that version back before it runs.
            policy = shard.policy();
            policy.loadTrainableWeights(loaded.trainable());
        } else {
            if (shard != null) {
                shard.policy().close();
            }
            policy = build(loaded, device);
        }
        SHARDS.put(key, new Shard(weights.id(), version, policy, loaded.spec()));
        loads++;
        return policy;
    }

    private static Policy build(PolicyWeights weights, Device device) {
        if (weights.spec() instanceof PolicyConfig) {
            return VideoPolicy.fromWeights(weights, device);
        }
        if (weights.spec() instanceof FullModelSpec full) {
            // Each role holds its own copy: small models only.
            return QwenPolicy.trained(PretrainedBases.checkout(full), device, weights.trainable());
        }
        AdapterSpec spec = (AdapterSpec) weights.spec();
        PretrainedBases.Base base = PretrainedBases.forSpec(spec, device);
        NDManager adapterMemory = base.model().manager().newSubManager();
        try {
            LoraAdapters adapters = LoraAdapters.of(base.model().config(), spec, weights.trainable(), adapterMemory);
            return QwenPolicy.sharing(base.model(), base.stopTokens(), adapters, weights.version(), adapterMemory);
        } catch (RuntimeException e) {
            adapterMemory.close();
            throw e;
        }
    }

    /** Weight loads in this JVM so far (tests and logs: a version is loaded once per device). */
    static synchronized long loads() {
        return loads;
    }

    /** Closes every shard (end of job; tests). */
    public static synchronized void closeAll() {
        SHARDS.values().forEach(shard -> shard.policy().close());
        SHARDS.clear();
        PretrainedBases.closeAll();
    }
}
