package dev.baton.runtime.method;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * One call's log: lines tagged with resource and method, kept for the result and passed to the
 * daemon log, both bounded. Past {@code maxLines}, lines are counted and dropped; the result
 * then ends with a line saying how many.
 */
final class MethodLog {
    enum Level { DEBUG, INFO, WARN, ERROR }

    private static final Logger LOG = LoggerFactory.getLogger("baton.method");

    private final String tag;
    private final int maxLines;
    private final int maxLineChars;
    private final List<String> lines = new ArrayList<>();
    private long dropped;

    MethodLog(String resource, String method, int maxLines, int maxLineChars) {
        this.tag = "[" + resource + " " + method + "] ";
        this.maxLines = maxLines;
        this.maxLineChars = maxLineChars;
    }

    int maxLineChars() {
        return maxLineChars;
    }

    synchronized void add(Level level, String message) {
        if (lines.size() >= maxLines) {
            dropped++;
            return;
        }
        String text = clip(message == null ? "null" : message, maxLineChars);
        lines.add(level + " " + text);
        switch (level) {
            case DEBUG -> LOG.debug("{}{}", tag, text);
            case INFO -> LOG.info("{}{}", tag, text);
            case WARN -> LOG.warn("{}{}", tag, text);
            case ERROR -> LOG.error("{}{}", tag, text);
        }
    }

    synchronized List<String> lines() {
        List<String> out = new ArrayList<>(lines);
        if (dropped > 0) {
            out.add("WARN " + dropped + " more log lines dropped (limit " + maxLines + " per call)");
        }
        return out;
    }

    static String clip(String s, int maxChars) {
        if (s.length() <= maxChars) {
            return s;
        }
        return s.substring(0, maxChars) + "… [" + (s.length() - maxChars) + " more characters]";
    }
}
