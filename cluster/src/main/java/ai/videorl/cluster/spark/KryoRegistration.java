package ai.videorl.cluster.spark;

import ai.videorl.cluster.train.GradientSum;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRow;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType$;
import org.apache.spark.sql.types.DoubleType$;
import org.apache.spark.sql.types.IntegerType$;
import org.apache.spark.sql.types.LongType$;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StringType$;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Every class Spark ships with Kryo in videorl's jobs: summed gradients (task results), weight
 * blobs (broadcasts), and the rows that cross an RDD shuffle (prompt placement, advantage
 * groups), which carry their schema. With {@code spark.kryo.registrationRequired=true} (as
 * {@link SparkSessions#forJob} sets) an unregistered class fails loudly instead of having its
 * full name written with every record. The test session runs the same way, so a class a new
 * stage ships and nobody registered fails the tests.
 */
public final class KryoRegistration implements KryoRegistrator {

    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(GradientSum.class);
        kryo.register(byte[].class);
        kryo.register(long[].class);
        kryo.register(float[].class);
        kryo.register(double[].class);
        kryo.register(Object[].class);
        kryo.register(Integer[].class);
        kryo.register(Double[].class);
        kryo.register(String[].class);
        kryo.register(Row.class);
        kryo.register(Row[].class);
        kryo.register(GenericRow.class);
        kryo.register(GenericRowWithSchema.class);
        kryo.register(StructType.class);
        kryo.register(StructField.class);
        kryo.register(StructField[].class);
        kryo.register(ArrayType.class);
        kryo.register(MapType.class);
        kryo.register(Metadata.class);
        kryo.register(StringType.class);
        kryo.register(StringType$.class);
        kryo.register(IntegerType$.class);
        kryo.register(LongType$.class);
        kryo.register(DoubleType$.class);
        kryo.register(BooleanType$.class);
        // Spark's own, shipped by collect() and broadcast joins (prepare's probing and splits).
        kryo.register(java.util.List[].class);
        kryo.register(org.apache.spark.util.StatCounter.class); // JavaDoubleRDD.stats(): the update's batch shape
        kryo.register(sparkClass("[Lorg.apache.spark.util.io.ChunkedByteBuffer;"));
        // Parallel listing of a table with many partition directories (the rollouts of > 32 iterations).
        kryo.register(org.apache.hadoop.fs.Path.class, new JavaSerializer()); // its URI field serialises the Java way
        kryo.register(org.apache.hadoop.fs.Path[].class);
        kryo.register(org.apache.hadoop.fs.FileStatus.class, new JavaSerializer());
        kryo.register(org.apache.hadoop.fs.LocatedFileStatus.class, new JavaSerializer());
        kryo.register(org.apache.hadoop.fs.FileStatus[].class);
        kryo.register(org.apache.hadoop.fs.LocatedFileStatus[].class);
    }

    /** A Spark class Java code cannot name (private[spark] in Scala). */
    private static Class<?> sparkClass(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Spark no longer has " + name + "; update the Kryo registration", e);
        }
    }
}
