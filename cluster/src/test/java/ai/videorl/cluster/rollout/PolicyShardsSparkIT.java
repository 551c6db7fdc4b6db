package ai.videorl.cluster.rollout;

import ai.djl.Device;
import ai.videorl.cluster.LocalSpark;
import ai.videorl.cluster.model.PolicyConfig;
import ai.videorl.cluster.model.VideoPolicy;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
            Broadcast<byte[]> first = spark.broadcast(driver.snapshot(1).toBytes());
            long before = PolicyShards.loads();
            List<Float> seen = spark.parallelize(Arrays.asList(1, 2, 3, 4, 5, 6), 6)
                    .map(i -> PolicyShards.forTask(first, 1).trainableWeights(1).values()[0]).collect();
            assertEquals(1, PolicyShards.loads() - before, "six tasks, one load (local mode: one executor JVM)");
            seen.forEach(value -> assertEquals(driver.weights()[0], value));

            float[] updated = driver.weights();
            updated[0] += 1;
            driver.loadWeights(updated);
            Broadcast<byte[]> second = spark.broadcast(driver.snapshot(2).toBytes());
            List<Float> after = spark.parallelize(Arrays.asList(1, 2, 3), 3)
                    .map(i -> PolicyShards.forTask(second, 2).trainableWeights(2).values()[0]).collect();
            assertEquals(2, PolicyShards.loads() - before);
            after.forEach(value -> assertEquals(updated[0], value));
            assertArrayEquals(driver.weights(), PolicyShards.forDevice(Device.cpu(), second, 2).weights());

            assertThrows(IllegalStateException.class, () -> PolicyShards.forDevice(Device.cpu(), first, 3),
                    "weights that do not carry the announced version are refused");
        }
    }

    @Test
    void anotherRunsWeightsOfTheSameVersionAreLoadedNotMistakenForTheShardsOwn() {
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext());
        try (VideoPolicy one = VideoPolicy.create(CONFIG, Device.cpu(), 3);
             VideoPolicy other = VideoPolicy.create(new PolicyConfig(48, 32, 2, 4, 16, 4, 64), Device.cpu(), 4)) {
            Broadcast<byte[]> first = spark.broadcast(one.snapshot(1).toBytes());
            assertArrayEquals(one.weights(), PolicyShards.forDevice(Device.cpu(), first, 1).weights());
            Broadcast<byte[]> second = spark.broadcast(other.snapshot(1).toBytes());
            VideoPolicy shard = PolicyShards.forDevice(Device.cpu(), second, 1);
            assertEquals(48, shard.config().vocabularySize());
            assertArrayEquals(other.weights(), shard.weights());
        }
    }
}
