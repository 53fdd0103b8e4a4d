package dev.baton.plugins.apache;

import dev.baton.api.method.ResultCode;
import dev.baton.testkit.ResourceTypeContract;
import dev.baton.testkit.TestResource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The method contract, against a real apache2 on loopback. */
class ApacheContractTest extends ResourceTypeContract {
    @TempDir
    Path dir;
    private int n;

    @Override
    protected String typeName() {
        return "apache";
    }

    @Override
    protected Map<String, String> validProperties() throws Exception {
        return ApacheFixture.properties(dir, "root" + (++n));
    }

    @Override
    protected void killBehindBatonsBack(TestResource resource) throws Exception {
        long pid = Long.parseLong(Files.readString(
                ApacheFixture.pidFile((String) resource.property("Server_root"))).trim());
        ProcessHandle main = ProcessHandle.of(pid).orElseThrow();
        main.descendants().forEach(ProcessHandle::destroyForcibly);
        main.destroyForcibly();
        main.onExit().join();
    }

    @Override
    protected ResultCode probeAfterKill() {
        return ResultCode.NOT_RUNNING;
    }
}
