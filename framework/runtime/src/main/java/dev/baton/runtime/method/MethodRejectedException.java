package dev.baton.runtime.method;

/**
 * A method call that was not run at all: the resource is busy with another method, or the
 * method queue is full. Distinct from a result, so the caller knows nothing happened and may
 * retry.
 */
public final class MethodRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MethodRejectedException(String message) {
        super(message);
    }
}
