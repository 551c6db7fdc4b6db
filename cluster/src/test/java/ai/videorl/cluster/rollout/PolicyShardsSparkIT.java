package ai.videorl.cluster.rollout;

import ai.djl.Device;
import ai.videorl.cluster.LocalSpark;
import ai.videorl.cluster.model.PolicyConfig;
import ai.videorl.cluster.model.VideoPolicy;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyShardsSparkIT {

    private static final PolicyConfig CONFIG = new PolicyConfig(40, 32, 2, 4, 16, 4, 64);

    @AfterEach
    void closeShards() {
        PolicyShards.closeAll();
    }

    @Test
    void tasksShareOneShardPerVersionAndSeeNewWeightsWhenTheVersionChanges() {
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext());
        try (VideoPolicy driver = VideoPolicy.create(CONFIG, Device.cpu(), 3)) {
            PushedWeights first = PushedWeights.push(spark, driver.snapshot(1), PolicyShards.Role.POLICY);
            long before = PolicyShards.loads();
            List<Float> seen = spark.parallelize(Arrays.asList(1, 2, 3, 4, 5, 6), 6)
                    .map(i -> PolicyShards.forTask(first).trainableWeights(1).values()[0]).collect();
            assertEquals(1, PolicyShards.loads() - before, "six tasks, one load (local mode: one executor JVM)");
            seen.forEach(value -> assertEquals(driver.weights()[0], value));

            float[] updated = driver.weights();
            updated[0] += 1;
            driver.loadWeights(updated);
            PushedWeights second = PushedWeights.push(spark, driver.snapshot(2), PolicyShards.Role.POLICY);
            List<Float> after = spark.parallelize(Arrays.asList(1, 2, 3), 3)
                    .map(i -> PolicyShards.forTask(second).trainableWeights(2).values()[0]).collect();
            assertEquals(2, PolicyShards.loads() - before);
            after.forEach(value -> assertEquals(updated[0], value));
            assertArrayEquals(driver.weights(), ((VideoPolicy) PolicyShards.forDevice(Device.cpu(), second)).weights());
            // Where Spark's network security is on, the blob goes as broadcasts: here in chunks of 1 kB, read back whole.
            PushedWeights broadcast = PushedWeights.push(spark, driver.snapshot(3), PolicyShards.Role.POLICY, PushedWeights.Transport.BROADCAST, 1024);
            assertTrue(broadcast.source() instanceof BroadcastChunks chunks && chunks.chunks().size() > 1, broadcast.source().toString());
            List<Float> broadcasted = spark.parallelize(Arrays.asList(1, 2), 2)
                    .map(i -> PolicyShards.forTask(broadcast).trainableWeights(3).values()[0]).collect();
            broadcasted.forEach(value -> assertEquals(updated[0], value));
            broadcast.destroy();

            PushedWeights misannounced = new PushedWeights(first.id(), first.source(), 3, PolicyShards.Role.POLICY);
            assertThrows(IllegalStateException.class, () -> PolicyShards.forDevice(Device.cpu(), misannounced),
                    "weights that do not carry the announced version are refused");
        }
    }

    @Test
    void anotherRunsWeightsOfTheSameVersionAreLoadedNotMistakenForTheShardsOwn() {
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext());
        try (VideoPolicy one = VideoPolicy.create(CONFIG, Device.cpu(), 3);
             VideoPolicy other = VideoPolicy.create(new PolicyConfig(48, 32, 2, 4, 16, 4, 64), Device.cpu(), 4)) {
            PushedWeights first = PushedWeights.push(spark, one.snapshot(1), PolicyShards.Role.POLICY);
            assertArrayEquals(one.weights(), ((VideoPolicy) PolicyShards.forDevice(Device.cpu(), first)).weights());
            PushedWeights second = PushedWeights.push(spark, other.snapshot(1), PolicyShards.Role.POLICY);
            VideoPolicy shard = (VideoPolicy) PolicyShards.forDevice(Device.cpu(), second);
            assertEquals(48, shard.config().vocabularySize());
            assertArrayEquals(other.weights(), shard.weights());
        }
    }
}
