package dev.baton.runtime.state;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * The text format every state file shares, so an operator can read them with {@code cat}:
 * <pre>
 * baton-KIND VERSION
 * # comments
 * key: value
 * ...
 * ---            (only when the file has a body)
 * body, verbatim, exactly "body-bytes" bytes of UTF-8
 * </pre>
 * The header ends at the first {@code ---} line, so a body may contain anything.
 */
public record StateText(String kind, Map<String, String> fields, Optional<String> body) {
    public static final int FORMAT_VERSION = 1;
    static final String BODY_BYTES = "body-bytes";
    private static final String SEPARATOR = "\n---\n";

    /** Renders a file; {@code body} may be null for a header-only file. */
    public static String render(String kind, String comment, SequencedMap<String, String> fields, String body) {
        StringBuilder text = new StringBuilder("baton-").append(kind).append(' ').append(FORMAT_VERSION).append('\n');
        if (comment != null) {
            text.append("# ").append(comment).append('\n');
        }
        fields.forEach((key, value) -> text.append(key).append(": ").append(value).append('\n'));
        if (body != null) {
            text.append(BODY_BYTES).append(": ").append(body.getBytes(StandardCharsets.UTF_8).length).append(SEPARATOR);
            text.append(body);
        }
        return text.toString();
    }

    /** Reads a state file of at most {@code maxBytes}; a larger one is refused unread. */
    public static byte[] read(Path file, int maxBytes) throws IOException, StateFileException {
        long size = Files.size(file);
        if (size > maxBytes) {
            throw new StateFileException("too large: " + size + " bytes, at most " + maxBytes + " expected");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new StateFileException("grew past " + maxBytes + " bytes while being read");
            }
            return bytes;
        }
    }

    /** Parses {@code bytes}; every failure names the problem (the caller adds the file). */
    public static StateText parse(byte[] bytes, String expectedKind) throws StateFileException {
        int split = indexOf(bytes, SEPARATOR.getBytes(StandardCharsets.US_ASCII));
        String header = decode(bytes, 0, split < 0 ? bytes.length : split + 1, "header");
        String[] lines = header.split("\n", -1);
        checkFirstLine(lines[0], expectedKind);
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            readField(lines[i], i + 1, fields);
        }
        if (split < 0) {
            return new StateText(expectedKind, fields, Optional.empty());
        }
        int bodyStart = split + SEPARATOR.length();
        StateText text = new StateText(expectedKind, fields, Optional.empty());
        long declared = text.longField(BODY_BYTES);
        int actual = bytes.length - bodyStart;
        if (declared != actual) {
            throw new StateFileException("truncated or padded: header says " + declared + " body bytes, the file holds " + actual);
        }
        return new StateText(expectedKind, fields, Optional.of(decode(bytes, bodyStart, bytes.length, "body")));
    }

    private static void checkFirstLine(String line, String expectedKind) throws StateFileException {
        String expected = "baton-" + expectedKind + " ";
        if (!line.startsWith(expected)) {
            throw new StateFileException("malformed header: the first line should start with '" + expected
                    + "', found '" + abbreviate(line) + "'");
        }
        String version = line.substring(expected.length());
        if (!version.equals(Integer.toString(FORMAT_VERSION))) {
            throw new StateFileException("format version '" + abbreviate(version) + "' is not one this Baton reads ("
                    + FORMAT_VERSION + ")");
        }
    }

    private static void readField(String line, int lineNumber, Map<String, String> fields) throws StateFileException {
        if (line.isEmpty() || line.startsWith("#")) {
            return;
        }
        int colon = line.indexOf(": ");
        if (colon <= 0) {
            throw new StateFileException("malformed header: line " + lineNumber + " is not 'key: value': '" + abbreviate(line) + "'");
        }
        String key = line.substring(0, colon);
        if (fields.putIfAbsent(key, line.substring(colon + 2)) != null) {
            throw new StateFileException("malformed header: line " + lineNumber + " repeats '" + key + "'");
        }
    }

    public String field(String key) throws StateFileException {
        String value = fields.get(key);
        if (value == null) {
            throw new StateFileException("malformed header: no '" + key + "' line");
        }
        return value;
    }

    public long longField(String key) throws StateFileException {
        String value = field(key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new StateFileException("malformed header: '" + key + "' is not a number: '" + abbreviate(value) + "'");
        }
    }

    /** The body, or a failure when the file has none. */
    public String requireBody() throws StateFileException {
        return body.orElseThrow(() -> new StateFileException("malformed: no '---' line before the content"));
    }

    private static String decode(byte[] bytes, int from, int to, String part) throws StateFileException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            throw new StateFileException("the " + part + " is not valid UTF-8");
        }
    }

    private static int indexOf(byte[] bytes, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= bytes.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (bytes[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Text fit for an error message: control characters shown as ?, at most 60 characters. */
    public static String abbreviate(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 60 ? printable : printable.substring(0, 60) + "...";
    }
}
