package ai.videorl.cluster.spark;

import ai.videorl.cluster.train.GradientSum;
import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Every class of ours that Spark ships with Kryo: task results (summed gradients) and the
 * broadcast weight blobs. With {@code spark.kryo.registrationRequired=true} (the default
 * {@link SparkSessions#forJob} sets) an unregistered class fails loudly instead of being
 * written with its full name on every record.
 */
public final class KryoRegistration implements KryoRegistrator {

    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(GradientSum.class);
        // Rows that cross an RDD shuffle (prompt placement) carry their schema.
        kryo.register(org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema.class);
        kryo.register(org.apache.spark.sql.types.StructType.class);
        kryo.register(org.apache.spark.sql.types.StructField.class);
        kryo.register(org.apache.spark.sql.types.StructField[].class);
        kryo.register(org.apache.spark.sql.types.ArrayType.class);
        kryo.register(org.apache.spark.sql.types.MapType.class);
        kryo.register(org.apache.spark.sql.types.Metadata.class);
        kryo.register(org.apache.spark.sql.types.StringType.class);
        kryo.register(org.apache.spark.sql.types.StringType$.class);
        kryo.register(org.apache.spark.sql.types.IntegerType$.class);
        kryo.register(org.apache.spark.sql.types.LongType$.class);
        kryo.register(org.apache.spark.sql.types.DoubleType$.class);
        kryo.register(org.apache.spark.sql.types.BooleanType$.class);
        kryo.register(Object[].class);
        kryo.register(Integer[].class);
        kryo.register(Double[].class);
        kryo.register(String[].class);
        kryo.register(org.apache.spark.sql.Row.class);
        kryo.register(org.apache.spark.sql.Row[].class);
        kryo.register(org.apache.spark.sql.catalyst.expressions.GenericRow.class);
        kryo.register(long[].class);
        kryo.register(float[].class);
        kryo.register(double[].class);
        kryo.register(byte[].class);
    }
}
