package ai.videorl.cluster.model;

import java.io.Serializable;

/**
 * What a policy is besides the weights it trains: enough for any executor to build it from them.
 * The tiny policy's is its shape ({@link PolicyConfig}: every weight trains); a pretrained one's
 * names its checkpoint ({@link PretrainedSpec}): adapters over it frozen ({@link AdapterSpec}) or
 * all its weights trained ({@link FullModelSpec}).
 */
public interface PolicySpec extends Serializable {

    PolicyArchitecture architecture();
}
