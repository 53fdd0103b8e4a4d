package dev.baton.runtime.js;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;

/** Where in a plugin's JavaScript an error happened. */
public final class JsErrors {
    private JsErrors() {
    }

    /**
     * A syntax error's own place, else the innermost JavaScript frame (where a throw happened or
     * a ctx call failed); null when no JavaScript frame has a location.
     */
    public static SourceSection location(PolyglotException e) {
        if (e.getSourceLocation() != null) {
            return e.getSourceLocation();
        }
        for (PolyglotException.StackFrame f : e.getPolyglotStackTrace()) {
            if (f.isGuestFrame() && f.getSourceLocation() != null) {
                return f.getSourceLocation();
            }
        }
        return null;
    }
}
