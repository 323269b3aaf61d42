package io.nextbest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.CompositeType;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.api.java.typeutils.MapTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

/**
 * No record the job hands between operators, nor any field inside one, falls back to Flink's generic (Kryo)
 * serializer: Kryo is several times slower than the POJO, record and enum serializers, and a field type
 * added carelessly (an Object, an interface) would silently bring it onto a path every event takes.
 */
class NoKryoTest {

    @Test
    void everyOperatorsOutputIsSerializedWithoutKryo() {
        Map<String, String> generic = new TreeMap<>();
        Set<Integer> seen = new HashSet<>();
        for (Transformation<?> t : StageTest.built(NextbestConfig.builder()).getTransformations()) {
            walk(t, generic, seen);
        }
        assertThat(seen).as("operators looked at").hasSizeGreaterThan(100);
        assertThat(generic).as("outputs (operator.field…) serialized by Kryo").isEmpty();
    }

    @Test
    void aGenericFieldIsFoundWhereverItIs() {
        Map<String, String> generic = new TreeMap<>();
        visit(TypeInformation.of(Holder.class), "holder", generic, 0);
        assertThat(generic).containsOnlyKeys("holder.anything", "holder.inner.anything");
    }

    /** A POJO with a generic field, and one nested. */
    public static class Holder {
        public Object anything;
        public String name;
        public Inner inner;
    }

    public static class Inner {
        public Object anything;
        public long count;
    }

    private static void walk(Transformation<?> t, Map<String, String> generic, Set<Integer> seen) {
        if (!seen.add(t.getId())) {
            return;
        }
        visit(t.getOutputType(), t.getName(), generic, 0);
        for (Transformation<?> in : t.getInputs()) {
            walk(in, generic, seen);
        }
    }

    private static void visit(TypeInformation<?> type, String path, Map<String, String> generic, int depth) {
        if (depth > 8) { // a type that contains itself; no message of the job nests this deep
            generic.put(path, "nested deeper than 8: not checked");
            return;
        }
        if (type instanceof GenericTypeInfo<?>) {
            generic.put(path, type.toString());
        } else if (type instanceof PojoTypeInfo<?> p) {
            for (int i = 0; i < p.getArity(); i++) {
                visit(p.getPojoFieldAt(i).getTypeInformation(), path + "." + p.getPojoFieldAt(i).getField().getName(),
                        generic, depth + 1);
            }
        } else if (type instanceof CompositeType<?> c) {
            for (int i = 0; i < c.getArity(); i++) {
                visit(c.getTypeAt(i), path + "[" + i + "]", generic, depth + 1);
            }
        } else if (type instanceof ListTypeInfo<?> l) {
            visit(l.getElementTypeInfo(), path + "[]", generic, depth + 1);
        } else if (type instanceof MapTypeInfo<?, ?> m) {
            visit(m.getKeyTypeInfo(), path + "{key}", generic, depth + 1);
            visit(m.getValueTypeInfo(), path + "{value}", generic, depth + 1);
        }
    }
}
