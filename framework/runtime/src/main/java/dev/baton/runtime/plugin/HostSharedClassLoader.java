package dev.baton.runtime.plugin;

import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

import java.util.List;

/**
 * A plugin class loader that takes shared classes from the host. Plugins load their own classes
 * first (PF4J's default), except for the API and the libraries whose types cross the plugin
 * boundary: a second copy of GraalVM's Value or of the API's interfaces inside a plugin would
 * break every call between the two.
 */
final class HostSharedClassLoader extends PluginClassLoader {
    static final List<String> HOST_PACKAGES = List.of(
            "dev.baton.api.", "org.graalvm.", "com.oracle.truffle.", "com.sun.jna.", "org.slf4j.");

    HostSharedClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader parent) {
        super(manager, descriptor, parent);
    }

    @Override
    protected boolean shouldDelegateToParent(String className) {
        if (super.shouldDelegateToParent(className)) {
            return true;
        }
        for (String prefix : HOST_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
