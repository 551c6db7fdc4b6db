package ai.videorl.cluster.rollout;

import ai.videorl.cluster.model.PolicyWeights;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * Weights the driver serves ({@link DriverWeightServer}): fetched over one HTTP connection, or
 * taken as they are when the task runs in the driver's JVM (local mode). A connection that fails is tried
 * again twice, after 0.5 and 1 s; a task that still cannot read fails, and Spark retries it.
 *
 * @param url where the driver serves it
 * @param token the push's secret, which the driver asks for (the tasks carry it)
 * @param id the blob's number on that driver
 */
record Served(String url, String token, long id) implements WeightSource {

    private static final int ATTEMPTS = 3;
    private static final int BUFFER = 1 << 20;

    @Override
    public PolicyWeights read(String source) throws IOException {
        DriverWeightServer here = DriverWeightServer.inThisJvm();
        PolicyWeights local = here == null ? null : here.local(id, token);
        return local != null ? local : WeightSource.super.read(source);
    }

    @Override
    public InputStream open() throws IOException {
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return fetch();
            } catch (IOException e) {
                last = e;
                if (attempt == ATTEMPTS) {
                    break;
                }
                try {
                    Thread.sleep(500L << (attempt - 1));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while fetching weights from " + url, interrupted);
                }
            }
        }
        throw new IOException("could not fetch weights from the driver at " + url + " (" + ATTEMPTS + " attempts): "
                + last.getMessage(), last);
    }

    InputStream fetch() throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setRequestProperty(DriverWeightServer.TOKEN_HEADER, token);
        connection.setConnectTimeout(30_000);
        connection.setReadTimeout(300_000);
        int status = connection.getResponseCode();
        if (status != HttpURLConnection.HTTP_OK) {
            connection.disconnect();
            throw new IOException("the driver answered " + status + (status == 404 ? " (the push was freed)" : ""));
        }
        return new BufferedInputStream(connection.getInputStream(), BUFFER);
    }

    @Override
    public void destroy() {
        DriverWeightServer here = DriverWeightServer.inThisJvm();
        if (here != null) {
            here.remove(id);
        }
    }
}
