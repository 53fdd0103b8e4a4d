package dev.baton.runtime.plugin;

import java.util.List;

/**
 * What became of one plugin at load.
 *
 * @param id       the plugin id, or the file name when plugin.properties could not be read
 * @param location where it was loaded from
 * @param types    the resource types it contributes (empty when disabled)
 * @param problems why it is disabled; empty when active
 */
public record PluginStatus(String id, String version, String location, State state, List<String> types,
        List<SourceProblem> problems) {

    /** Lifecycle: a plugin is ACTIVE after every check passed, DISABLED otherwise; neither changes until reload. */
    public enum State { ACTIVE, DISABLED }

    public PluginStatus {
        types = List.copyOf(types);
        problems = List.copyOf(problems);
    }

    /** One line per problem, each naming the plugin, its file and line. */
    public String describe() {
        StringBuilder s = new StringBuilder("plugin '" + id + "' " + version + " (" + location + "): "
                + (state == State.ACTIVE ? "active, types " + types : "DISABLED"));
        for (SourceProblem p : problems) {
            s.append("\n  ").append(p);
        }
        return s.toString();
    }
}
