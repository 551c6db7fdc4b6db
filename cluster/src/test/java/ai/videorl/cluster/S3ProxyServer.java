package ai.videorl.cluster;

import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 API server for s3a:// tests: S3Proxy (the jar the build copies to
 * {@code target/s3proxy/}) in its own JVM on a loopback port, keeping each bucket as a directory
 * under {@code root/data}. It runs as a separate process because as a library it clashes with
 * Spark's Jetty and Jackson; that also lets a test stop and restart it like a real outage.
 * Credentials are random per server.
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String BUCKET = "videorl";
    private static final Path JAR = Path.of("target", "s3proxy", "s3proxy.jar");
    private static final long START_TIMEOUT_MS = 60_000;

    private final Path root;
    private final int port;
    private final String identity = "videorl-test";
    private final String credential = UUID.randomUUID().toString();
    private Process process;

    private S3ProxyServer(Path root, int port) {
        this.root = root;
        this.port = port;
    }

    /** Starts a server on a free loopback port with an empty {@value #BUCKET} bucket. */
    public static S3ProxyServer start(Path root) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the build (mvn process-test-resources copies it)");
        }
        Files.createDirectories(root.resolve("data").resolve(BUCKET));
        S3ProxyServer server = new S3ProxyServer(root, freePort());
        server.startProcess();
        return server;
    }

    /** The s3a URI of {@code key} in the bucket. */
    public String uri(String key) {
        return "s3a://" + BUCKET + "/" + key;
    }

    /** Where the bucket's objects lie on the local disk. */
    public Path bucketDirectory() {
        return root.resolve("data").resolve(BUCKET);
    }

    /** Points s3a at this server (path-style, plain HTTP, this server's keys). */
    public void configure(Configuration hadoop) {
        hadoop.set("fs.s3a.endpoint", "http://127.0.0.1:" + port);
        hadoop.set("fs.s3a.endpoint.region", "us-east-1");
        hadoop.set("fs.s3a.path.style.access", "true");
        hadoop.set("fs.s3a.connection.ssl.enabled", "false");
        hadoop.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        hadoop.set("fs.s3a.access.key", identity);
        hadoop.set("fs.s3a.secret.key", credential);
        hadoop.set("fs.s3a.buffer.dir", root.resolve("s3a-buffer").toString());
    }

    /** Stops the server, as an outage would: connections are refused until {@link #restart()}. */
    public synchronized void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        process = null;
    }

    /** Starts it again on the same port over the same objects. */
    public synchronized void restart() throws IOException {
        startProcess();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private synchronized void startProcess() throws IOException {
        Path properties = root.resolve("s3proxy.properties");
        Files.write(properties, List.of(
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + identity,
                "s3proxy.credential=" + credential,
                "jclouds.provider=filesystem-nio2",
                "jclouds.filesystem.basedir=" + root.resolve("data")), StandardCharsets.UTF_8);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "-Xmx256m", "-jar", JAR.toAbsolutePath().toString(), "--properties", properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("s3proxy.log").toFile()))
                .start();
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + "; see " + root.resolve("s3proxy.log"));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("S3Proxy did not listen on 127.0.0.1:" + port + " within " + START_TIMEOUT_MS + " ms");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while waiting for S3Proxy", e));
        }
    }
}
