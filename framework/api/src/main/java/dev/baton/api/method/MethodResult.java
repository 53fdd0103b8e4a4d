package dev.baton.api.method;

import dev.baton.api.type.PropertyProblem;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one method call produced.
 *
 * @param code     the outcome
 * @param message  a short sentence for operators ("GET http://10.0.0.5:80/ answered 503"); for a
 *                 thrown exception, the JavaScript message with its file and line
 * @param problems property problems reported by the framework or by validate (empty otherwise)
 * @param log      the call's log lines, oldest first, bounded by the runtime's limits
 * @param elapsed  wall time from the call's start to its result
 */
public record MethodResult(ResultCode code, String message, List<PropertyProblem> problems, List<String> log,
        Duration elapsed) {

    public MethodResult {
        Objects.requireNonNull(code, "code");
        message = message == null ? "" : message;
        problems = List.copyOf(problems);
        log = List.copyOf(log);
        Objects.requireNonNull(elapsed, "elapsed");
    }

    public static MethodResult of(ResultCode code, String message) {
        return new MethodResult(code, message, List.of(), List.of(), Duration.ZERO);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(code.name());
        if (!message.isEmpty()) {
            s.append(": ").append(message);
        }
        for (PropertyProblem p : problems) {
            s.append("\n  - ").append(p);
        }
        return s.toString();
    }
}
