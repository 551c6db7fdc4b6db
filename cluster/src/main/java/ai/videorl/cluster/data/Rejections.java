package ai.videorl.cluster.data;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Rows that cannot be used, with the manifest line, what is known of them, and why. */
public final class Rejections {

    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField(Columns.LINE, DataTypes.LongType, false),
        DataTypes.createStructField(Columns.ID, DataTypes.StringType, true),
        DataTypes.createStructField(Columns.VIDEO, DataTypes.StringType, true),
        DataTypes.createStructField(Columns.REASON, DataTypes.StringType, false),
    });

    private Rejections() {
    }

    /** @param id the row's id if it could be read, else null; likewise {@code video} */
    public static Row of(long line, String id, String video, String reason) {
        return RowFactory.create(line, id, video, reason);
    }
}
