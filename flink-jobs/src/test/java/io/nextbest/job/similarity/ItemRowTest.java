package io.nextbest.job.similarity;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ItemRowTest {

    @Test
    void aRowSurvivesFlinksPojoSerializerThroughItsPackedIds() throws Exception {
        TypeInformation<ItemRow> type = TypeInformation.of(ItemRow.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class); // no Kryo
        TypeSerializer<ItemRow> serializer = type.createSerializer(new SerializerConfigImpl());
        ItemRow row = new ItemRow(new String[] {"i-1", "ünïcode-2", "x"}, new double[] {0.5, 2, 1e-300}).pack();

        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(row, out);
        ItemRow back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(back.others).as("not stored as such").isEmpty();
        assertThat(back.unpack().others).containsExactly("i-1", "ünïcode-2", "x");
        assertThat(back.dots).containsExactly(0.5, 2, 1e-300);
        assertThat(new ItemRow().pack().unpack().others).isEmpty();
    }
}
