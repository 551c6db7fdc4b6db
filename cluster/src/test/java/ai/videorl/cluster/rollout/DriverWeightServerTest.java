package ai.videorl.cluster.rollout;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver's weight endpoint over real HTTP on loopback: the blob whole, for its token only, until freed. */
class DriverWeightServerTest {

    private static final DriverWeightServer SERVER = DriverWeightServer.get(new SparkConf(false).set("spark.driver.host", "127.0.0.1"));

    @Test
    void aPushIsServedWholeToItsTokenAndNoLongerOnceFreed() throws IOException {
        byte[] first = new byte[3000];
        byte[] second = new byte[1234];
        for (int i = 0; i < first.length; i++) {
            first[i] = (byte) i;
        }
        second[5] = 7;
        Served served = SERVER.add(List.of(first, second));
        byte[] expected = new byte[first.length + second.length];
        System.arraycopy(first, 0, expected, 0, first.length);
        System.arraycopy(second, 0, expected, first.length, second.length);
        try (InputStream in = served.fetch()) {
            assertArrayEquals(expected, in.readAllBytes(), "over HTTP");
        }
        try (InputStream in = served.open()) {
            assertArrayEquals(expected, in.readAllBytes(), "in the driver's own JVM, without a connection");
        }

        IOException wrongToken = assertThrows(IOException.class, () -> new Served(served.url(), "0".repeat(32), served.id()).fetch());
        assertEquals("the driver answered 403", wrongToken.getMessage());
        served.destroy();
        IOException freed = assertThrows(IOException.class, served::fetch);
        assertTrue(freed.getMessage().contains("404 (the push was freed)"), freed.getMessage());
    }
}
