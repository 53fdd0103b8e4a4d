package dev.baton.runtime.method;

import java.util.ArrayList;
import org.graalvm.polyglot.Value;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An options object a method passed to a {@code ctx} function, read strictly: unknown keys and
 * wrongly typed values are errors that name the function, the key and what was expected.
 */
final class JsOptions {
    private final String function;
    private final Value value;

    JsOptions(String function, Value value, List<String> known) {
        this.function = function;
        this.value = value == null || value.isNull() ? null : value;
        if (this.value == null) {
            return;
        }
        if (!this.value.hasMembers() || this.value.hasArrayElements()) {
            throw new IllegalArgumentException(function + ": options must be an object such as {"
                    + known.get(0) + ": …}");
        }
        for (String key : this.value.getMemberKeys()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(function + ": unknown option '" + key + "' (known: "
                        + String.join(", ", known) + ")");
            }
        }
    }

    private Value member(String key) {
        if (value == null) {
            return null;
        }
        Value v = value.getMember(key);
        return v == null || v.isNull() ? null : v;
    }

    long number(String key, long dflt, long min, long max) {
        Value v = member(key);
        if (v == null) {
            return dflt;
        }
        if (!v.isNumber() || !v.fitsInLong()) {
            throw new IllegalArgumentException(function + ": option " + key + " must be a whole number, not " + v);
        }
        long n = v.asLong();
        if (n < min || n > max) {
            throw new IllegalArgumentException(function + ": option " + key + " = " + n + " is outside " + min + ".." + max);
        }
        return n;
    }

    String string(String key, String dflt) {
        Value v = member(key);
        if (v == null) {
            return dflt;
        }
        if (!v.isString()) {
            throw new IllegalArgumentException(function + ": option " + key + " must be a string, not " + v);
        }
        return v.asString();
    }

    Map<String, String> stringMap(String key) {
        Value v = member(key);
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (!v.hasMembers() || v.hasArrayElements()) {
            throw new IllegalArgumentException(function + ": option " + key + " must be an object of strings");
        }
        for (String k : v.getMemberKeys()) {
            Value item = v.getMember(k);
            if (!item.isString() && !item.isNumber()) {
                throw new IllegalArgumentException(function + ": option " + key + "." + k + " must be a string");
            }
            out.put(k, item.isString() ? item.asString() : item.toString());
        }
        return out;
    }

    /** An argument list: strings, or numbers written as text. */
    static List<String> argv(String function, Value argv) {
        if (argv == null || !argv.hasArrayElements()) {
            throw new IllegalArgumentException(function + ": the first argument is the command as an array, e.g. [\"/usr/sbin/apache2\", \"-v\"]");
        }
        long n = argv.getArraySize();
        if (n == 0 || n > 4096) {
            throw new IllegalArgumentException(function + ": the command array has " + n + " items (1..4096 allowed)");
        }
        List<String> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            Value item = argv.getArrayElement(i);
            if (item.isString()) {
                out.add(item.asString());
            } else if (item.isNumber()) {
                out.add(item.fitsInLong() ? Long.toString(item.asLong()) : item.toString());
            } else {
                throw new IllegalArgumentException(function + ": argv[" + i + "] must be a string, not " + item);
            }
        }
        return out;
    }
}
