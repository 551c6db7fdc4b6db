package ai.videorl.cluster.model;

import java.io.Serializable;

/**
 * What a policy is besides the weights it trains: enough for any executor to build it from them.
 * The tiny policy's is its shape ({@link PolicyConfig}: every weight trains); a pretrained one's
 * is its frozen base and the adapters' settings ({@link AdapterSpec}).
 */
public interface PolicySpec extends Serializable {

    PolicyArchitecture architecture();
}
