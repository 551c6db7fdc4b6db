package ai.videorl.cluster.rollout;

import ai.videorl.cluster.model.PolicyConfig;
import ai.videorl.cluster.model.PolicyWeights;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver's weight endpoint over real HTTP on loopback: the blob whole, for its token only, until freed. */
class DriverWeightServerTest {

    private static DriverWeightServer server() {
        return DriverWeightServer.get(new SparkConf(false).set("spark.driver.host", "127.0.0.1"));
    }

    @Test
    void aPushIsServedWholeToItsTokenAndNoLongerOnceFreed() throws IOException {
        float[] values = new float[300_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.25f - 7;
        }
        PolicyWeights weights = new PolicyWeights(5, PolicyConfig.defaults(160), List.of("values"), List.of(new long[] {values.length}),
                values);
        Served served = server().add(weights);
        try (InputStream in = served.fetch()) {
            assertArrayEquals(weights.toBytes(), in.readAllBytes(), "over HTTP, the blob byte for byte");
        }
        assertSame(weights, served.read("test"), "in the driver's own JVM, the weights as they are");

        IOException wrongToken = assertThrows(IOException.class, () -> new Served(served.url(), "0".repeat(32), served.id()).fetch());
        assertEquals("the driver answered 403", wrongToken.getMessage());
        served.destroy();
        IOException freed = assertThrows(IOException.class, served::fetch);
        assertTrue(freed.getMessage().contains("404 (the push was freed)"), freed.getMessage());
    }

    @Test
    void aStoppedServerAnswersNothingAndTheNextPushStartsAnother() throws IOException {
        DriverWeightServer first = server();
        Served served = first.add(new PolicyWeights(1, PolicyConfig.defaults(160), List.of("values"), List.of(new long[] {2}),
                new float[] {1, 2}));
        first.stop();
        assertThrows(IOException.class, served::fetch, "nothing listens any more");
        assertNull(DriverWeightServer.inThisJvm());
        DriverWeightServer second = server();
        assertNotSame(first, second);
        assertSame(second, DriverWeightServer.inThisJvm());
    }
}
