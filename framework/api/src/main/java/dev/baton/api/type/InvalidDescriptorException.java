package dev.baton.api.type;

/**
 * A descriptor that breaks a rule of the model. {@link #path()} names the offending element
 * (for example {@code properties.Port.default}) so that a parser can point at its file and line.
 */
public final class InvalidDescriptorException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String path;

    public InvalidDescriptorException(String path, String message) {
        super(path.isEmpty() ? message : path + ": " + message);
        this.path = path;
    }

    /** The dotted path of the element at fault, empty for the descriptor as a whole. */
    public String path() {
        return path;
    }
}
