package ai.videorl.cluster.rollout;

import ai.videorl.cluster.model.PolicyWeights;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The driver's endpoint for pushed weights: each push's {@link PolicyWeights}, streamed as their
 * blob over HTTP to the executors that fetch them (GET {@code /weights/ID} with the push's token),
 * each reading the bytes once straight off one connection. No copy of the blob is kept: the driver
 * writes it from the weights for each request. Spark's torrent broadcast moved weights 25-90 times
 * slower than the loopback wire (its block store, per-block RPCs and compression); this is the wire.
 * One per driver JVM, started with the first push, bound to {@code spark.driver.bindAddress} (or
 * {@code spark.driver.host}) on {@code spark.videorl.weights.port} (0: any free port), and stopped
 * with the SparkContext: the JDK server's dispatcher thread would otherwise keep the JVM alive.
 */
final class DriverWeightServer {

    static final String PORT = "spark.videorl.weights.port";
    static final String TOKEN_HEADER = "X-Videorl-Token";
    private static final String PATH = "/weights/";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BUFFER = 1 << 20;
    private static DriverWeightServer running;
    /** Blob ids, unique in the JVM however many servers it starts: a late free of a stopped server's blob frees nothing of the next's. */
    private static final AtomicLong IDS = new AtomicLong();

    static {
        // The JDK server leaves Nagle's algorithm on: a response's last partial segment then waits
        // for the client's delayed ACK (40 ms on Linux), longer than the whole of a 10 MB push here.
        // Read once, when the JDK's server first loads its settings.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** A push: its token and weights. */
    private record Blob(String token, PolicyWeights weights) {
    }

    private final HttpServer server;
    private final ExecutorService handlers;
    private final String address;
    private final Map<Long, Blob> blobs = new ConcurrentHashMap<>();

    private DriverWeightServer(String host, String bindAddress, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(bindAddress, port), 64);
        handlers = Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "videorl-weight-server");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(handlers);
        server.createContext(PATH, this::serve);
        server.start();
        address = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getAddress().getPort() + PATH;
    }

    /** The server of {@code context}'s driver, started on the first call and stopped with the context. */
    static synchronized DriverWeightServer get(SparkContext context) {
        boolean starting = running == null;
        DriverWeightServer server = get(context.getConf());
        if (starting) {
            context.addSparkListener(new SparkListener() {
                @Override
                public void onApplicationEnd(SparkListenerApplicationEnd end) {
                    server.stop();
                }
            });
        }
        return server;
    }

    /** This driver's server, started on the first call with {@code conf}'s address and port. */
    static synchronized DriverWeightServer get(SparkConf conf) {
        if (running == null) {
            String host = conf.get("spark.driver.host", "localhost");
            try {
                running = new DriverWeightServer(host, conf.get("spark.driver.bindAddress", host), conf.getInt(PORT, 0));
            } catch (IOException e) {
                throw new IllegalStateException("could not start the driver's weight server on " + host + " (" + PORT + " "
                        + conf.getInt(PORT, 0) + "): " + e.getMessage(), e);
            }
        }
        return running;
    }

    /** Stops serving and frees the port; the next push starts another server. */
    void stop() {
        synchronized (DriverWeightServer.class) {
            if (running == this) {
                running = null;
            }
        }
        server.stop(0);
        handlers.shutdownNow();
    }

    /** The server of this JVM, if it is a driver that has pushed weights. */
    static synchronized DriverWeightServer inThisJvm() {
        return running;
    }

    /** Holds {@code weights} until {@link #remove}; the source tasks fetch them from. */
    Served add(PolicyWeights weights) {
        long id = IDS.incrementAndGet();
        byte[] secret = new byte[16];
        RANDOM.nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        blobs.put(id, new Blob(token, weights));
        return new Served(address + id, token, id);
    }

    void remove(long id) {
        blobs.remove(id);
    }

    /** The weights of push {@code id} when this JVM holds them (local mode: nothing to copy), else null. */
    PolicyWeights local(long id, String token) {
        Blob blob = blobs.get(id);
        return blob == null || !blob.token().equals(token) ? null : blob.weights();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            Blob blob = null;
            try {
                blob = blobs.get(Long.parseLong(exchange.getRequestURI().getPath().substring(PATH.length())));
            } catch (NumberFormatException e) {
                // answered below as unknown
            }
            String token = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
            if (!"GET".equals(exchange.getRequestMethod()) || blob == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.US_ASCII),
                    blob.token().getBytes(StandardCharsets.US_ASCII))) {
                exchange.sendResponseHeaders(403, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, blob.weights().blobBytes());
            try (OutputStream body = new BufferedOutputStream(exchange.getResponseBody(), BUFFER)) {
                blob.weights().write(body);
            }
        }
    }
}
