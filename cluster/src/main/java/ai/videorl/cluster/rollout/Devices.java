package ai.videorl.cluster.rollout;

import ai.djl.Device;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * Where a policy shard lives: the GPU a Spark task was given (spark.task.resource.gpu.amount,
 * with the cluster's discovery script), else the CPU. Outside a Spark task: the CPU.
 */
public final class Devices {

    static final String GPU = "gpu";

    private Devices() {
    }

    public static Device forCurrentTask() {
        TaskContext task = TaskContext.get();
        if (task == null) {
            return Device.cpu();
        }
        ResourceInformation gpus = task.resourcesJMap().get(GPU);
        if (gpus == null || gpus.addresses().length == 0) {
            return Device.cpu();
        }
        return Device.gpu(Integer.parseInt(gpus.addresses()[0]));
    }
}
