package ai.videorl.cluster.rollout;

import ai.djl.Device;
import ai.videorl.cluster.LocalSpark;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DevicesSparkIT {

    @Test
    void tasksWithoutAGpuAndTheDriverUseTheCpu() {
        assertEquals(Device.cpu(), Devices.forCurrentTask());
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext());
        List<String> devices = spark.parallelize(List.of(1, 2, 3), 3).map(i -> Devices.forCurrentTask().toString()).collect();
        assertEquals(List.of("cpu()", "cpu()", "cpu()"), devices);
    }
}
