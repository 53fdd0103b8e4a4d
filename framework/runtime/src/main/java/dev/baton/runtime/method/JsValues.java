package dev.baton.runtime.method;

import dev.baton.api.type.ResolvedProperties;
import dev.baton.runtime.process.ProcessRunner;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Java values turned into what JavaScript reads naturally. */
final class JsValues {
    private JsValues() {
    }

    /** Properties as a read-only object: numbers, booleans, strings, arrays; durations in milliseconds. */
    static ProxyObject properties(ResolvedProperties values) {
        Map<String, Object> js = new LinkedHashMap<>();
        values.asMap().forEach((k, v) -> js.put(k, toJs(v)));
        return new ReadOnlyObject(js);
    }

    private static Object toJs(Object v) {
        if (v instanceof Duration d) {
            return d.toMillis();
        }
        if (v instanceof List<?> list) {
            return new ReadOnlyArray(list.toArray());
        }
        return v;
    }

    static ProxyObject execResult(ProcessRunner.Outcome o) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("exitCode", o.exitCode());
        r.put("stdout", o.stdout());
        r.put("stderr", o.stderr());
        r.put("timedOut", o.timedOut());
        r.put("truncated", o.stdoutTruncated() || o.stderrTruncated());
        r.put("elapsedMs", o.elapsedMs());
        return ProxyObject.fromMap(r);
    }

    private record ReadOnlyObject(Map<String, Object> values) implements ProxyObject {
        @Override
        public Object getMember(String key) {
            return values.get(key);
        }

        @Override
        public Object getMemberKeys() {
            return new ReadOnlyArray(values.keySet().toArray());
        }

        @Override
        public boolean hasMember(String key) {
            return values.containsKey(key);
        }

        // Not UnsupportedOperationException: GraalJS turns that into a TypeError quoting this record's
        // toString, i.e. every property value, instead of saying what is wrong.
        @Override
        public void putMember(String key, Value value) {
            throw new IllegalStateException("ctx.props is read-only");
        }

        @Override
        public boolean removeMember(String key) {
            throw new IllegalStateException("ctx.props is read-only");
        }
    }

    private record ReadOnlyArray(Object[] items) implements ProxyArray {
        @Override
        public Object get(long index) {
            return items[(int) index];
        }

        @Override
        public void set(long index, Value value) {
            throw new IllegalStateException("ctx.props is read-only");
        }

        @Override
        public long getSize() {
            return items.length;
        }
    }
}
