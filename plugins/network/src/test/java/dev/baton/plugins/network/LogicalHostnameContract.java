package dev.baton.plugins.network;

import dev.baton.api.method.ResultCode;
import dev.baton.testkit.PluginHarness;
import dev.baton.testkit.ResourceTypeContract;
import dev.baton.testkit.TestResource;

import java.util.List;
import java.util.Map;

/**
 * The testkit's method contract for logical_hostname. It runs only inside a node's namespace, in
 * the JVM {@link LogicalHostnameContractTest} starts there (its name keeps Surefire from running
 * it on the build machine's own adapters): the system properties name the address and how it is
 * configured once started.
 */
class LogicalHostnameContract extends ResourceTypeContract {
    static final String ADDRESS = "baton.test.address";
    static final String CONFIGURED_AS = "baton.test.configuredAs";
    static final String ADAPTER = "baton.test.adapter";

    @Override
    protected String typeName() {
        return "logical_hostname";
    }

    @Override
    protected PluginHarness createHarness() {
        return NamespaceJvm.harness();
    }

    @Override
    protected Map<String, String> validProperties() {
        return Map.of("Address", System.getProperty(ADDRESS));
    }

    /** Removes the address behind Baton's back, as an operator's `ip addr del` would. */
    @Override
    protected void killBehindBatonsBack(TestResource resource) {
        NetnsLab.run(List.of("ip", "addr", "del", System.getProperty(CONFIGURED_AS), "dev", System.getProperty(ADAPTER)));
    }

    @Override
    protected ResultCode probeAfterKill() {
        return ResultCode.NOT_RUNNING;
    }
}
