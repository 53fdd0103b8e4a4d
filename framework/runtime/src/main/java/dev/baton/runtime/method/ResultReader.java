package dev.baton.runtime.method;

import dev.baton.api.method.ResultCode;
import dev.baton.runtime.js.JsErrors;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

import java.util.stream.Collectors;

/** Turns what a method returned or threw into a result code and a message for operators. */
final class ResultReader {
    private ResultReader() {
    }

    /**
     * @param contextReusable whether the context may serve another call (it was not cancelled
     *                        or left in an unknown state)
     */
    record Read(ResultCode code, String message, boolean contextReusable) {
    }

    static Read fromReturn(MethodCall call, Value returned) {
        String method = call.method.jsName();
        if (returned.isHostObject() && returned.asHostObject() instanceof Outcome o) {
            if (!call.method.allowedResults().contains(o.resultCode)) {
                return new Read(ResultCode.FAILED, method + " returned " + o.code + ", which " + method
                        + " may not return (allowed: " + call.method.allowedResults().stream().map(Enum::name)
                        .collect(Collectors.joining(", ")) + ")", true);
            }
            return new Read(o.resultCode, o.message, true);
        }
        if (isPromise(returned)) {
            return new Read(ResultCode.FAILED, method + " returned a Promise: methods are synchronous (every ctx call"
                    + " blocks), so drop 'async'", true);
        }
        return new Read(ResultCode.FAILED, method + " returned " + describe(returned)
                + " instead of a result; end it with return ctx.success() (or another ctx result)", true);
    }

    static Read fromException(MethodCall call, PolyglotException e) {
        if (call.expired() || e.isCancelled() || e.isInterrupted()) {
            return new Read(ResultCode.TIMED_OUT, MethodRuntime.timedOutMessage(call), false);
        }
        String where = location(e);
        String prefix = where.isEmpty() ? "" : where + ": ";
        if (e.isResourceExhausted()) {
            return new Read(ResultCode.FAILED, prefix + "resource exhausted: " + e.getMessage(), false);
        }
        if (e.isInternalError()) {
            return new Read(ResultCode.FAILED, prefix + "internal error in the JavaScript engine: " + e.getMessage(), false);
        }
        if (e.isExit()) {
            return new Read(ResultCode.FAILED, prefix + "the method tried to exit the runtime", false);
        }
        String message = e.isHostException() ? hostMessage(e) : e.getMessage();
        return new Read(ResultCode.FAILED, prefix + message, !e.isSyntaxError());
    }

    private static String hostMessage(PolyglotException e) {
        Throwable host = e.asHostException();
        return host.getMessage() != null ? host.getMessage() : host.getClass().getSimpleName();
    }

    /** {@code types/apache.js:42} for the innermost JavaScript frame, or the syntax error's place. */
    static String location(PolyglotException e) {
        SourceSection s = JsErrors.location(e);
        return s == null ? "" : s.getSource().getName() + ":" + s.getStartLine();
    }

    private static boolean isPromise(Value v) {
        Value meta = v.getMetaObject();
        return meta != null && "Promise".equals(meta.getMetaSimpleName());
    }

    private static String describe(Value v) {
        if (v.isNull()) {
            return v.toString(); // "undefined" or "null"
        }
        String text = v.toString();
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }
}
