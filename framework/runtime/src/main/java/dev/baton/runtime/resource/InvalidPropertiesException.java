package dev.baton.runtime.resource;

import dev.baton.api.type.PropertyProblem;

import java.util.List;
import java.util.stream.Collectors;

/** Property values a resource cannot be created with; every problem names its property. */
public final class InvalidPropertiesException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient List<PropertyProblem> problems;

    public InvalidPropertiesException(String resource, List<PropertyProblem> problems) {
        super("resource " + resource + ": " + problems.stream().map(PropertyProblem::toString)
                .collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<PropertyProblem> problems() {
        return problems;
    }
}
