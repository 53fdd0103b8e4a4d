package dev.baton.runtime.method;

import dev.baton.api.method.ResultCode;
import org.graalvm.polyglot.HostAccess;

/**
 * What {@code ctx.success()}, {@code ctx.running()} … return, and what a method returns in
 * turn. Only these objects count as results: a plain object shaped like one does not.
 */
public final class Outcome {
    /** The result code's name, readable from JavaScript: {@code r.code === "RUNNING"}. */
    @HostAccess.Export
    public final String code;
    @HostAccess.Export
    public final String message;
    final ResultCode resultCode;

    Outcome(ResultCode resultCode, String message) {
        this.resultCode = resultCode;
        this.code = resultCode.name();
        this.message = message == null ? "" : message;
    }

    @Override
    @HostAccess.Export
    public String toString() {
        return message.isEmpty() ? code : code + ": " + message;
    }
}
